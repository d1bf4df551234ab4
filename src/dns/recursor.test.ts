import { afterEach, describe, expect, it } from 'vitest';
import { MemoryDiscovery } from './memory-discovery.js';
import { answerData, ask, instance, node, startResolver, testConfig, testRouter, type LocalResolver } from './test-kit.js';

const upstreams: LocalResolver[] = [];
async function upstream(...args: Parameters<typeof startResolver>): Promise<LocalResolver> {
  const u = await startResolver(...args);
  upstreams.push(u);
  return u;
}
afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((u) => u.close()));
});

const aRecord = (name: string, ip: string) => ({ answers: [{ type: 'A' as const, name, ttl: 60, data: ip }] });
const withRecursors = (ports: number[], extra = {}) => testConfig({ recursors: ports.map((port) => ({ host: '127.0.0.1', port })), recursorTimeoutMs: 1000, ...extra });

describe('recursors', () => {
  it('forwards names outside the domain and returns the upstream answer with the client id', async () => {
    const up = await upstream((q) => aRecord(q.name, '93.184.216.34'));
    const res = await ask(testRouter(new MemoryDiscovery(), withRecursors([up.port])), 'example.com', 'A', { id: 999 });
    expect([res.id, res.rcode, res.flag_ra]).toEqual([999, 'NOERROR', true]);
    expect(answerData(res)).toEqual(['93.184.216.34']);
  });

  it('sets RA on its own answers when recursors are configured', async () => {
    const up = await upstream(() => null);
    const d = new MemoryDiscovery();
    d.addNode(node('n1', '10.0.0.1'));
    expect((await ask(testRouter(d, withRecursors([up.port])), 'n1.node.consul', 'A')).flag_ra).toBe(true);
    expect(up.seen).toEqual([]);
  });

  it('answers SERVFAIL with RA when every upstream times out', async () => {
    const silent = await upstream(() => null);
    const res = await ask(testRouter(new MemoryDiscovery(), withRecursors([silent.port])), 'example.com', 'A');
    expect([res.rcode, res.flag_ra]).toEqual(['SERVFAIL', true]);
  });

  it('moves to the next upstream after an error answer or a timeout, passing NXDOMAIN through', async () => {
    const failing = await upstream(() => ({ flags: 2 }));
    const silent = await upstream(() => null);
    const good = await upstream(() => ({ flags: 3 }));
    const res = await ask(testRouter(new MemoryDiscovery(), withRecursors([failing.port, silent.port, good.port])), 'missing.example', 'A');
    expect(res.rcode).toBe('NXDOMAIN');
    expect([failing.seen.length, silent.seen.length, good.seen.length]).toEqual([1, 1, 1]);
  });

  it('retries a truncated UDP answer over TCP and uses it when it fits', async () => {
    const up = await upstream((q, transport) => (transport === 'udp' ? { flags: 0x0200 } : aRecord(q.name, '10.10.10.10')));
    const res = await ask(testRouter(new MemoryDiscovery(), withRecursors([up.port])), 'big.example', 'A');
    expect([res.flag_tc, answerData(res)]).toEqual([false, ['10.10.10.10']]);
    expect(up.seen.map((s) => s.transport)).toEqual(['udp', 'tcp']);
  });

  it('forwards over TCP what came over TCP', async () => {
    const up = await upstream((q) => aRecord(q.name, '10.0.0.8'));
    const res = await ask(testRouter(new MemoryDiscovery(), withRecursors([up.port])), 'tcp.example', 'A', { transport: 'tcp' });
    expect(answerData(res)).toEqual(['10.0.0.8']);
    expect(up.seen.map((s) => s.transport)).toEqual(['tcp']);
  });

  it('resolves a service registered with an external host name through the recursors', async () => {
    const up = await upstream((q) => aRecord(q.name, '203.0.113.5'));
    const d = new MemoryDiscovery();
    d.addInstance(instance(node('n1', '10.0.0.1'), 'billing', { address: 'billing.example.com' }));
    const res = await ask(testRouter(d, withRecursors([up.port])), 'billing.service.consul', 'A');
    expect(res.answers!.map((a) => [a.type, a.name, (a as { data: unknown }).data])).toEqual([
      ['CNAME', 'billing.service.consul', 'billing.example.com'],
      ['A', 'billing.example.com', '203.0.113.5'],
    ]);
  });

  it('forwards reverse lookups for addresses it does not know', async () => {
    const up = await upstream((q) => ({ answers: [{ type: 'PTR', name: q.name, ttl: 60, data: 'dns.example.' }] }));
    const res = await ask(testRouter(new MemoryDiscovery(), withRecursors([up.port])), '8.8.8.8.in-addr.arpa', 'PTR');
    expect(answerData(res)).toEqual(['dns.example']);
  });
});
