import { describe, expect, it } from 'vitest';
import { arpaName, hexToIp, ipFromArpa, ipToHex } from './ip.js';
import { matchDomain, parseLocality, parseName, serviceAndTag } from './parser.js';

describe('matchDomain', () => {
  it('finds the domain or alt domain, and arpa for reverse names', () => {
    expect(matchDomain('web.service.consul.', 'consul.', null)).toEqual({ domain: 'consul.', labels: ['web', 'service'], arpa: false });
    expect(matchDomain('consul.', 'consul.', null)).toEqual({ domain: 'consul.', labels: [], arpa: false });
    expect(matchDomain('a.node.weft.example.', 'consul.', 'weft.example.')).toMatchObject({ domain: 'weft.example.', labels: ['a', 'node'] });
    expect(matchDomain('1.0.0.10.in-addr.arpa.', 'consul.', null)).toMatchObject({ domain: 'consul.', arpa: true });
    expect(matchDomain('example.com.', 'consul.', null)).toBeNull();
    expect(matchDomain('.', 'consul.', null)).toBeNull();
    expect(matchDomain('notconsul.', 'consul.', null)).toBeNull();
  });
});

describe('parseName', () => {
  it('finds the rightmost kind label, and the optional service label for SRV', () => {
    expect(parseName(['v1', 'web', 'service', 'dc1'], false)).toEqual({ kind: 'service', parts: ['v1', 'web'], suffixes: ['dc1'] });
    expect(parseName(['node', 'node'], false)).toEqual({ kind: 'node', parts: ['node'], suffixes: [] });
    expect(parseName(['_web', '_tcp'], true)).toEqual({ kind: 'service', parts: ['_web', '_tcp'], suffixes: [] });
    expect(parseName(['_web', '_tcp'], false)).toBeNull();
  });

  it('splits service, tag (with dots) and the RFC 2782 form', () => {
    expect(serviceAndTag(['web'])).toEqual({ service: 'web', tag: '' });
    expect(serviceAndTag(['v1', 'x', 'web'])).toEqual({ service: 'web', tag: 'v1.x' });
    expect(serviceAndTag(['_web', '_tcp'])).toEqual({ service: 'web', tag: '' });
    expect(serviceAndTag(['_web', '_prod'])).toEqual({ service: 'web', tag: 'prod' });
  });

  it('parses tenancy suffixes as Consul does', () => {
    expect(parseLocality(['dc2'])).toMatchObject({ peerOrDatacenter: 'dc2' });
    expect(parseLocality(['dc2', 'dc'])).toMatchObject({ datacenter: 'dc2' });
    expect(parseLocality(['ns1', 'dc2'])).toMatchObject({ namespace: 'ns1', peerOrDatacenter: 'dc2' });
    expect(parseLocality(['default', 'ns', 'default', 'ap', 'dc1', 'dc'])).toMatchObject({ namespace: 'default', partition: 'default', datacenter: 'dc1' });
    expect(parseLocality(['a', 'b', 'c'])).toBeNull();
    expect(parseLocality(['x', 'dc', 'y', 'peer'])).toBeNull();
  });
});

describe('ip forms', () => {
  it('converts between addresses, hex labels and reverse names', () => {
    expect(ipToHex('10.0.0.1')).toBe('0a000001');
    expect(hexToIp('0a000001')).toBe('10.0.0.1');
    expect(ipToHex('2001:db8::1')).toBe('20010db8000000000000000000000001');
    expect(hexToIp('20010db8000000000000000000000001')).toBe('2001:db8::1');
    expect(hexToIp('00000000000000000000ffff0a000001')).toBe('10.0.0.1');
    expect(ipToHex('300.0.0.1')).toBeNull();
    expect(arpaName('10.0.0.1')).toBe('1.0.0.10.in-addr.arpa.');
    expect(ipFromArpa('1.0.0.10.in-addr.arpa.')).toBe('10.0.0.1');
    expect(ipFromArpa(arpaName('2001:db8::1')!)).toBe('2001:db8::1');
    expect(ipFromArpa('1.0.10.in-addr.arpa.')).toBeNull();
  });
});
