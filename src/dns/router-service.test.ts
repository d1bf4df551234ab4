import { describe, expect, it } from 'vitest';
import { MemoryDiscovery } from './memory-discovery.js';
import { answerData, ask, instance, node, testConfig, testRouter } from './test-kit.js';

function catalog(): MemoryDiscovery {
  const d = new MemoryDiscovery();
  d.addInstance(instance(node('n1', '10.0.0.1', { rack: 'a' }), 'web', { port: 8080, tags: ['v1', 'Primary'] }));
  d.addInstance(instance(node('n2', '10.0.0.2'), 'web', { port: 8081, tags: ['v2'] }));
  d.addInstance(instance(node('n3', '10.0.0.3'), 'web', { port: 8082, health: 'critical' }));
  return d;
}

describe('service lookups', () => {
  it('answers A records for healthy instances only, named as asked, authoritative', async () => {
    const res = await ask(testRouter(catalog()), 'web.service.consul', 'A');
    expect(res.rcode).toBe('NOERROR');
    expect(res.flag_aa).toBe(true);
    expect(res.flag_ra).toBe(false);
    expect((answerData(res) as string[]).sort()).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(res.answers!.every((a) => a.name === 'web.service.consul' && a.type === 'A')).toBe(true);
  });

  it('matches case-insensitively and echoes the question as asked', async () => {
    const res = await ask(testRouter(catalog()), 'WEB.Service.CONSUL', 'A');
    expect(res.questions![0].name).toBe('WEB.Service.CONSUL');
    expect(answerData(res)).toHaveLength(2);
  });

  it('filters by tag, with the datacenter label and the RFC 2782 form', async () => {
    const router = testRouter(catalog());
    expect(answerData(await ask(router, 'v1.web.service.consul', 'A'))).toEqual(['10.0.0.1']);
    expect(answerData(await ask(router, 'primary.web.service.dc1.consul', 'A'))).toEqual(['10.0.0.1']);
    expect(answerData(await ask(router, '_web._v2.service.consul', 'SRV'))).toEqual([
      { priority: 1, weight: 1, port: 8081, target: 'n2.node.dc1.consul' },
    ]);
    expect(answerData(await ask(router, '_web._tcp.consul', 'SRV'))).toHaveLength(2);
  });

  it('answers SRV with node targets and their addresses in the additional section, plus node meta TXT', async () => {
    const res = await ask(testRouter(catalog()), 'v1.web.service.consul', 'SRV');
    expect(answerData(res)).toEqual([{ priority: 1, weight: 1, port: 8080, target: 'n1.node.dc1.consul' }]);
    const extra = res.additionals!.map((a) => [a.type, a.name, (a as { data: unknown }).data]);
    expect(extra).toEqual([
      ['A', 'n1.node.dc1.consul', '10.0.0.1'],
      ['TXT', 'n1.node.dc1.consul', [Buffer.from('rack=a')]],
    ]);
  });

  it('gives a service address of its own an .addr. SRV target', async () => {
    const d = new MemoryDiscovery();
    d.addInstance(instance(node('n1', '10.0.0.1'), 'db', { port: 5432, address: '192.168.1.9' }));
    const res = await ask(testRouter(d), 'db.service.consul', 'SRV');
    expect(answerData(res)).toEqual([{ priority: 1, weight: 1, port: 5432, target: 'c0a80109.addr.dc1.consul' }]);
    expect(res.additionals![0]).toMatchObject({ type: 'A', name: 'c0a80109.addr.dc1.consul', data: '192.168.1.9' });
    expect(answerData(await ask(testRouter(d), 'db.service.consul', 'A'))).toEqual(['192.168.1.9']);
  });

  it('uses the warning weight for warning instances, and drops them with only_passing', async () => {
    const d = new MemoryDiscovery();
    d.addInstance(instance(node('n1', '10.0.0.1'), 'api', { health: 'warning', weights: { passing: 10, warning: 3 } }));
    d.addInstance(instance(node('n2', '10.0.0.2'), 'api', { weights: { passing: 10, warning: 3 } }));
    const weights = answerData(await ask(testRouter(d), 'api.service.consul', 'SRV')).map((s) => (s as { weight: number }).weight);
    expect(weights.sort((a, b) => a - b)).toEqual([3, 10]);
    const strict = testRouter(d, testConfig({ onlyPassing: true }));
    expect(answerData(await ask(strict, 'api.service.consul', 'A'))).toEqual(['10.0.0.2']);
  });

  it('answers NXDOMAIN with the SOA for unknown services and services with no healthy instance', async () => {
    const d = catalog();
    d.addInstance(instance(node('n9', '10.0.0.9'), 'down', { health: 'critical' }));
    d.addInstance(instance(node('n8', '10.0.0.8'), 'maint', { health: 'maintenance' }));
    for (const name of ['nope.service.consul', 'down.service.consul', 'maint.service.consul', 'v9.web.service.consul', 'service.consul']) {
      const res = await ask(testRouter(d), name, 'A');
      expect(res.rcode, name).toBe('NXDOMAIN');
      expect(res.flag_aa).toBe(true);
      expect(res.authorities![0]).toMatchObject({ type: 'SOA', name: 'consul', data: { mname: 'ns.consul', rname: 'hostmaster.consul' } });
    }
  });

  it('answers NOERROR with no records (NODATA, SOA in authority) when instances exist but not of that type', async () => {
    const res = await ask(testRouter(catalog()), 'web.service.consul', 'AAAA');
    expect(res.rcode).toBe('NOERROR');
    expect(res.answers).toEqual([]);
    expect(res.authorities![0].type).toBe('SOA');
  });

  it('answers NXDOMAIN for another datacenter, a peer or a namespace that does not exist here', async () => {
    const router = testRouter(catalog());
    for (const name of ['web.service.dc2.consul', 'web.service.p1.peer.consul', 'web.service.team.ns.consul', 'web.service.a.b.c.consul']) {
      expect((await ask(router, name, 'A')).rcode, name).toBe('NXDOMAIN');
    }
    expect(answerData(await ask(router, 'web.service.default.ns.dc1.dc.consul', 'A'))).toHaveLength(2);
  });

  it('caps address answers at a_record_limit', async () => {
    const d = new MemoryDiscovery();
    for (let i = 1; i <= 6; i++) d.addInstance(instance(node(`n${i}`, `10.0.0.${i}`), 'web'));
    const res = await ask(testRouter(d, testConfig({ aRecordLimit: 2 })), 'web.service.consul', 'A', { transport: 'tcp' });
    expect(answerData(res)).toHaveLength(2);
  });

  it('shuffles instances for every answer', async () => {
    const d = new MemoryDiscovery();
    for (let i = 1; i <= 8; i++) d.addInstance(instance(node(`n${i}`, `10.0.0.${i}`), 'web'));
    const router = testRouter(d);
    const firsts = new Set<string>();
    for (let i = 0; i < 60; i++) firsts.add(answerData(await ask(router, 'web.service.consul', 'A', { transport: 'tcp' }))[0] as string);
    expect(firsts.size).toBeGreaterThan(3);
  });

  it('drops duplicate instances (same node, address and port)', async () => {
    const d = new MemoryDiscovery();
    const n1 = node('n1', '10.0.0.1');
    d.addInstance(instance(n1, 'web', { port: 80 }));
    d.addInstance(instance(n1, 'web', { port: 80 }));
    d.addInstance(instance(n1, 'web', { port: 81 }));
    expect(answerData(await ask(testRouter(d), 'web.service.consul', 'A'))).toEqual(['10.0.0.1']);
    expect(answerData(await ask(testRouter(d), 'web.service.consul', 'SRV'))).toHaveLength(2);
  });

  it('applies service_ttl by exact name, then the longest prefix, else node_ttl', async () => {
    const d = new MemoryDiscovery();
    for (const s of ['db', 'db-replica', 'web', 'other']) d.addInstance(instance(node(`n-${s}`, '10.0.0.1'), s));
    const router = testRouter(d, testConfig({ nodeTtl: 7, serviceTtls: { db: '10s', 'db-*': '20s', 'w*': '30s', '*': '5s' } }));
    const ttl = async (s: string) => (await ask(router, `${s}.service.consul`, 'A')).answers![0].ttl;
    expect(await ttl('db')).toBe(10);
    expect(await ttl('db-replica')).toBe(20);
    expect(await ttl('web')).toBe(30);
    expect(await ttl('other')).toBe(5);
    const noWildcard = testRouter(d, testConfig({ nodeTtl: 7, serviceTtls: { db: '10s' } }));
    expect((await ask(noWildcard, 'web.service.consul', 'A')).answers![0].ttl).toBe(7);
  });

  it('answers connect names with the proxies and ingress names with the gateways', async () => {
    const d = catalog();
    d.addInstance(instance(node('n1', '10.0.0.1'), 'web-sidecar-proxy', { port: 21000 }), 'connect', 'web');
    d.addInstance(instance(node('gw', '10.0.9.9'), 'ingress', { port: 8443 }), 'ingress', 'web');
    expect(answerData(await ask(testRouter(d), 'web.connect.consul', 'SRV'))).toEqual([{ priority: 1, weight: 1, port: 21000, target: 'n1.node.dc1.consul' }]);
    expect(answerData(await ask(testRouter(d), 'web.ingress.consul', 'A'))).toEqual(['10.0.9.9']);
    expect((await ask(testRouter(d), 'db.connect.consul', 'A')).rcode).toBe('NXDOMAIN');
  });

  it('answers a CNAME for an instance registered with a host name, resolving Consul names internally', async () => {
    const d = new MemoryDiscovery();
    d.addInstance(instance(node('n1', '10.0.0.1'), 'alias', { address: 'web.service.consul' }));
    d.addInstance(instance(node('n2', '10.0.0.2'), 'web'));
    const res = await ask(testRouter(d), 'alias.service.consul', 'A');
    expect(res.answers!.map((a) => [a.type, (a as { data: unknown }).data])).toEqual([
      ['CNAME', 'web.service.consul'],
      ['A', '10.0.0.2'],
    ]);
  });
});
