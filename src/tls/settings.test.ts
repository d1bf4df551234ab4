import { describe, expect, it } from 'vitest';
import { serverName, servesTls, tlsSettings } from './settings.js';

describe('tlsSettings', () => {
  it('merges tls.defaults under the https and internal_rpc blocks', () => {
    const s = tlsSettings({
      tls: {
        defaults: { ca_file: 'ca.pem', cert_file: 'a.pem', key_file: 'a-key.pem', verify_incoming: true, tls_min_version: 'TLSv1_3' },
        https: { verify_incoming: false },
        internal_rpc: { verify_outgoing: true, verify_server_hostname: true },
      },
    });
    expect(s.https).toMatchObject({ caFile: 'ca.pem', certFile: 'a.pem', verifyIncoming: false, verifyOutgoing: false, minVersion: 'TLSv1.3' });
    expect(s.internalRpc).toMatchObject({ caFile: 'ca.pem', verifyIncoming: true, verifyOutgoing: true, verifyServerHostname: true });
    expect(servesTls(s.https)).toBe(true);
  });

  it('serves nothing and verifies nothing without a tls block', () => {
    const s = tlsSettings({ tls: {} });
    expect(servesTls(s.https)).toBe(false);
    expect(s.internalRpc).toMatchObject({ verifyOutgoing: false, verifyServerHostname: false, minVersion: 'TLSv1.2' });
  });

  it("names a datacenter's servers as Consul does", () => {
    expect(serverName('dc1', 'consul.')).toBe('server.dc1.consul');
  });
});
