import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveAddresses, type Interfaces } from './address.js';

function iface(address: string, family: 'IPv4' | 'IPv6', internal = false): os.NetworkInterfaceInfo {
  const base = { address, netmask: '', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...base, family } : { ...base, family, scopeid: 0 };
}

const interfaces = (): Interfaces => ({
  lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
  eth0: [iface('fe80::1', 'IPv6'), iface('2001:db8::5', 'IPv6'), iface('10.1.2.3', 'IPv4')],
});

describe('resolveAddresses', () => {
  it('splits space-separated IP lists', () => {
    expect(resolveAddresses(' 127.0.0.1  ::1 ')).toEqual({ ok: true, addresses: ['127.0.0.1', '::1'] });
  });

  it('rejects host names', () => {
    expect(resolveAddresses('127.0.0.1 localhost')).toEqual({ ok: false, message: '"localhost" is not an IP address' });
  });

  it('resolves GetInterfaceIP, preferring IPv4 and skipping loopback and link-local', () => {
    expect(resolveAddresses('{{ GetInterfaceIP "eth0" }}', interfaces)).toEqual({ ok: true, addresses: ['10.1.2.3'] });
    expect(resolveAddresses('{{ GetInterfaceIP "lo" }}', interfaces)).toMatchObject({ ok: false });
  });

  it('refuses other templates clearly', () => {
    const r = resolveAddresses('{{ GetPrivateInterfaces | attr "address" }}', interfaces);
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('templates are not supported yet') });
  });
});
