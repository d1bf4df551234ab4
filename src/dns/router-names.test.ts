import { describe, expect, it } from 'vitest';
import type { Discovery } from './discovery.js';
import { MemoryDiscovery } from './memory-discovery.js';
import { answerData, ask, instance, node, testConfig, testRouter } from './test-kit.js';

function catalog(): MemoryDiscovery {
  const d = new MemoryDiscovery();
  d.addNode(node('alpha', '10.1.0.1', { rack: 'r1', 'rfc1035-note': 'v=spf1', 'a=b': 'c' }));
  d.addNode(node('six', '2001:db8::6'));
  d.addNode(node('host.with.dots', '10.1.0.3'));
  d.addNode(node('external', 'db.example.com'));
  d.addInstance(instance(node('beta', '10.1.0.2'), 'cache', { address: '10.9.9.9' }));
  d.setServers([node('alpha', '10.1.0.1')]);
  return d;
}

const types = (list: { type: string }[] | undefined) => (list ?? []).map((r) => r.type);

describe('node lookups', () => {
  it('answers A with the node meta as TXT in the additional section', async () => {
    const res = await ask(testRouter(catalog()), 'alpha.node.consul', 'A');
    expect(answerData(res)).toEqual(['10.1.0.1']);
    expect(res.additionals!.map((r) => (r as { data: Buffer[] }).data[0].toString())).toEqual(['a`=b=c', 'rack=r1', 'v=spf1']);
  });

  it('puts TXT in the answer for TXT and ANY questions, and omits it with enable_additional_node_meta_txt off', async () => {
    expect(types((await ask(testRouter(catalog()), 'alpha.node.dc1.consul', 'TXT')).answers)).toEqual(['TXT', 'TXT', 'TXT']);
    expect(types((await ask(testRouter(catalog()), 'alpha.node.consul', 'ANY', { transport: 'tcp' })).answers)).toEqual(['A', 'TXT', 'TXT', 'TXT']);
    const quiet = await ask(testRouter(catalog(), testConfig({ nodeMetaTxt: false })), 'alpha.node.consul', 'A');
    expect(quiet.additionals).toEqual([]);
  });

  it('answers AAAA for an IPv6 node, NODATA for A', async () => {
    expect(answerData(await ask(testRouter(catalog()), 'six.node.consul', 'AAAA'))).toEqual(['2001:db8::6']);
    const a = await ask(testRouter(catalog()), 'six.node.consul', 'A');
    expect([a.rcode, a.answers, types(a.authorities)]).toEqual(['NOERROR', [], ['SOA']]);
  });

  it('joins labels for node names with dots', async () => {
    expect(answerData(await ask(testRouter(catalog()), 'host.with.dots.node.consul', 'A'))).toEqual(['10.1.0.3']);
  });

  it('answers a CNAME for a node with a host name', async () => {
    const res = await ask(testRouter(catalog()), 'external.node.consul', 'A');
    expect(res.answers!.map((r) => [r.type, (r as { data: unknown }).data])).toEqual([['CNAME', 'db.example.com']]);
  });

  it('answers NXDOMAIN for unknown nodes', async () => {
    expect((await ask(testRouter(catalog()), 'ghost.node.consul', 'A')).rcode).toBe('NXDOMAIN');
  });
});

describe('zone records', () => {
  it('answers SOA with the servers as NS in authority and their glue', async () => {
    const res = await ask(testRouter(catalog()), 'consul', 'SOA');
    expect(res.answers![0]).toMatchObject({ type: 'SOA', name: 'consul', ttl: 0, data: { mname: 'ns.consul', rname: 'hostmaster.consul', refresh: 3600, retry: 600, expire: 86400, minimum: 0 } });
    expect(res.authorities!.map((r) => [r.type, r.name, (r as { data: unknown }).data])).toEqual([['NS', 'consul', 'alpha.node.dc1.consul']]);
    expect(res.additionals!.map((r) => [r.type, r.name, (r as { data: unknown }).data])).toEqual([['A', 'alpha.node.dc1.consul', '10.1.0.1']]);
  });

  it('answers NS for any name in the zone, in the domain the question used', async () => {
    const router = testRouter(catalog(), testConfig({ altDomain: 'weft.example.' }));
    const res = await ask(router, 'web.service.weft.example', 'NS');
    expect(res.answers!.map((r) => [r.name, (r as { data: unknown }).data])).toEqual([['weft.example', 'alpha.node.dc1.weft.example']]);
  });

  it('answers at most three name servers', async () => {
    const d = catalog();
    d.setServers(['s1', 's2', 's3', 's4', 's5'].map((n, i) => node(n, `10.2.0.${i + 1}`)));
    expect((await ask(testRouter(d), 'consul', 'NS')).answers).toHaveLength(3);
  });

  it('refuses names outside the domain when no recursor is configured, without AA or RA', async () => {
    const res = await ask(testRouter(catalog()), 'example.com', 'A');
    expect([res.rcode, res.flag_aa, res.flag_ra, res.id]).toEqual(['REFUSED', false, false, 4242]);
  });

  it('answers alt_domain names in the alt domain', async () => {
    const router = testRouter(catalog(), testConfig({ altDomain: 'weft.example.' }));
    const res = await ask(router, 'alpha.node.weft.example', 'A');
    expect(res.answers![0]).toMatchObject({ name: 'alpha.node.weft.example', data: '10.1.0.1' });
    expect((await ask(router, 'nope.node.weft.example', 'A')).authorities![0].name).toBe('weft.example');
  });

  it('refuses zone transfers with NOTIMP', async () => {
    expect((await ask(testRouter(catalog()), 'consul', 'AXFR', { transport: 'tcp' })).rcode).toBe('NOTIMP');
  });

  it('answers NXDOMAIN for prepared queries (they do not exist yet) and for names of no known kind', async () => {
    for (const name of ['geo.query.consul', '_geo._tcp.query.consul', 'foo.bar.consul', 'consul']) {
      expect((await ask(testRouter(catalog()), name, 'A')).rcode, name).toBe('NXDOMAIN');
    }
  });

  it('answers virtual names with the service virtual IP, NOERROR without one', async () => {
    const d = catalog();
    d.setVirtualIp('cache', '240.0.0.7');
    expect(answerData(await ask(testRouter(d), 'cache.virtual.consul', 'A'))).toEqual(['240.0.0.7']);
    const none = await ask(testRouter(d), 'other.virtual.consul', 'A');
    expect([none.rcode, none.answers]).toEqual(['NOERROR', []]);
  });
});

describe('failures', () => {
  it('answers SERVFAIL without RA when the catalog cannot be read', async () => {
    const failing: Discovery = {
      datacenter: 'dc1',
      node: () => undefined,
      instances: () => Promise.reject(new Error('servers unreachable')),
      nodeByAddress: () => undefined,
      instanceByAddress: () => undefined,
      servers: () => [],
      virtualIp: () => undefined,
    };
    const res = await ask(testRouter(failing), 'web.service.consul', 'A');
    expect([res.rcode, res.flag_ra, res.id]).toEqual(['SERVFAIL', false, 4242]);
  });
});

describe('address names', () => {
  it('decodes hex IPv4 and IPv6 addr names', async () => {
    const router = testRouter(catalog());
    expect(answerData(await ask(router, '0a000001.addr.dc1.consul', 'A'))).toEqual(['10.0.0.1']);
    expect(answerData(await ask(router, '20010db8000000000000000000000001.addr.consul', 'AAAA'))).toEqual(['2001:db8::1']);
    const other = await ask(router, '0a000001.addr.consul', 'AAAA');
    expect([other.rcode, other.answers, other.additionals!.map((r) => r.type)]).toEqual(['NOERROR', [], ['A']]);
    expect((await ask(router, 'zz000001.addr.consul', 'A')).rcode).toBe('NXDOMAIN');
    expect((await ask(router, '0a0001.addr.consul', 'A')).rcode).toBe('NXDOMAIN');
  });
});

describe('reverse lookups', () => {
  it('answers PTR for node addresses, then service addresses, always in the primary domain', async () => {
    const router = testRouter(catalog(), testConfig({ altDomain: 'weft.example.' }));
    expect(answerData(await ask(router, '1.0.1.10.in-addr.arpa', 'PTR'))).toEqual(['alpha.node.dc1.consul']);
    expect(answerData(await ask(router, '9.9.9.10.in-addr.arpa', 'PTR'))).toEqual(['cache.service.dc1.consul']);
    const v6 = '6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa';
    expect(answerData(await ask(router, v6, 'PTR'))).toEqual(['six.node.dc1.consul']);
  });

  it('answers NXDOMAIN for unknown addresses and malformed reverse names without recursors', async () => {
    const router = testRouter(catalog());
    for (const name of ['7.7.7.7.in-addr.arpa', '300.1.1.1.in-addr.arpa', 'in-addr.arpa', 'foo.arpa']) {
      const res = await ask(router, name, 'PTR');
      expect(res.rcode, name).toBe('NXDOMAIN');
      expect(res.authorities![0].name).toBe('consul');
    }
  });
});
