import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startResolver, type LocalResolver } from '../../src/dns/test-kit.js';
import { dataOf, dig } from './dns-digs.js';
import { freePort, removeDir, startAgent, stopAllAgents, tempDir, waitFor, type TestAgent } from './harness.js';

/**
 * The DNS interface of a real agent, asked with Debian's dig. Agent A has recursors,
 * enable_truncate, an alt domain and TTLs; agent B runs Consul's defaults.
 */
let a: TestAgent;
let b: TestAgent;
let portA: number;
let portB: number;
let upstream: LocalResolver;
let dir: string;

const check = (id: string, status: string, serviceId = '') => ({ CheckID: id, Name: id, Status: status, ServiceID: serviceId });

async function register(agent: TestAgent, body: Record<string, unknown>): Promise<void> {
  await agent.client.put('/v1/catalog/register', { body });
}

async function seed(agent: TestAgent): Promise<void> {
  await register(agent, { Node: 'n1', Address: '10.0.0.1', NodeMeta: { rack: 'r1' }, Service: { ID: 'web-1', Service: 'web', Port: 80, Tags: ['v1'] }, Checks: [check('web-1-check', 'passing', 'web-1')] });
  await register(agent, { Node: 'n2', Address: '10.0.0.2', Service: { ID: 'web-2', Service: 'web', Port: 81, Tags: ['v2'] }, Checks: [check('web-2-check', 'passing', 'web-2')] });
  await register(agent, { Node: 'n3', Address: '10.0.0.3', Service: { ID: 'web-3', Service: 'web', Port: 82 }, Checks: [check('web-3-check', 'critical', 'web-3')] });
  await register(agent, { Node: 'n1', Address: '10.0.0.1', NodeMeta: { rack: 'r1' }, Service: { ID: 'db-1', Service: 'db', Port: 5432, Address: '192.168.5.5' } });
  await register(agent, {
    Node: 'n1',
    Address: '10.0.0.1',
    NodeMeta: { rack: 'r1' },
    Service: { ID: 'web-proxy', Service: 'web-sidecar-proxy', Kind: 'connect-proxy', Port: 21000, Proxy: { DestinationServiceName: 'web' } },
  });
  for (let i = 0; i < 20; i++) {
    await register(agent, { Node: `big-${i}`, Address: `10.1.0.${i + 1}`, Service: { ID: 'big', Service: 'big', Port: 9000 + i } });
  }
}

beforeAll(async () => {
  dir = tempDir('weft-dns-');
  upstream = await startResolver((q) => {
    if (q.name === 'slow.example') return null;
    if (q.name === 'missing.example') return { flags: 3 };
    return { answers: [{ type: 'A', name: q.name, ttl: 30, data: '198.51.100.7' }] };
  });
  const config = join(dir, 'dns.json');
  writeFileSync(
    config,
    JSON.stringify({ alt_domain: 'weft', dns_config: { enable_truncate: true, recursor_timeout: '1s', node_ttl: '10s', service_ttl: { '*': '5s', 'db*': '7s' } } }),
  );
  [portA, portB] = [await freePort(), await freePort()];
  [a, b] = await Promise.all([
    startAgent({ args: ['-dns-port', String(portA), '-recursor', `127.0.0.1:${upstream.port}`, '-config-file', config, '-node', 'agent-a'] }),
    startAgent({ args: ['-dns-port', String(portB), '-node', 'agent-b'] }),
  ]);
  await Promise.all([seed(a), seed(b)]);
});

afterAll(async () => {
  await stopAllAgents();
  await upstream?.close();
  removeDir(dir);
});

describe('DNS interface of a real agent', () => {
  it('answers healthy service instances as A records and SRV with node targets and glue', async () => {
    const res = await dig(portB, ['web.service.consul', 'A']);
    expect([res.status, res.flags.includes('aa')]).toEqual(['NOERROR', true]);
    expect(dataOf(res.answer, 'A').sort()).toEqual(['10.0.0.1', '10.0.0.2']);
    const srv = await dig(portB, ['_web._v2.service.dc1.consul', 'SRV']);
    expect(dataOf(srv.answer, 'SRV')).toEqual(['1 1 81 n2.node.dc1.consul.']);
    expect(dataOf(srv.additional, 'A')).toEqual(['10.0.0.2']);
    expect(dataOf((await dig(portB, ['v1.web.service.consul', 'A'])).answer, 'A')).toEqual(['10.0.0.1']);
  });

  it('answers nodes with A and meta TXT, addr names, connect names and reverse lookups', async () => {
    expect(dataOf((await dig(portB, ['n1.node.consul', 'A'])).answer, 'A')).toEqual(['10.0.0.1']);
    expect(dataOf((await dig(portB, ['n1.node.dc1.consul', 'TXT'])).answer, 'TXT')).toEqual(['"rack=r1"']);
    expect(dataOf((await dig(portB, ['0a000002.addr.consul', 'A'])).answer, 'A')).toEqual(['10.0.0.2']);
    expect(dataOf((await dig(portB, ['web.connect.consul', 'SRV'])).answer, 'SRV')).toEqual(['1 1 21000 n1.node.dc1.consul.']);
    expect(dataOf((await dig(portB, ['-x', '10.0.0.2'])).answer, 'PTR')).toEqual(['n2.node.dc1.consul.']);
    expect(dataOf((await dig(portB, ['-x', '192.168.5.5'])).answer, 'PTR')).toEqual(['db.service.dc1.consul.']);
    const db = await dig(portB, ['db.service.consul', 'SRV']);
    expect(dataOf(db.answer, 'SRV')).toEqual(['1 1 5432 c0a80505.addr.dc1.consul.']);
  });

  it('answers SOA and NS for the zone, with this agent as the name server', async () => {
    const soa = await dig(portB, ['consul', 'SOA']);
    expect(dataOf(soa.answer, 'SOA')[0]).toMatch(/^ns\.consul\. hostmaster\.consul\. \d+ 3600 600 86400 0$/);
    expect(dataOf(soa.authority, 'NS')).toEqual(['agent-b.node.dc1.consul.']);
    const ns = await dig(portB, ['consul', 'NS']);
    expect(dataOf(ns.answer, 'NS')).toEqual(['agent-b.node.dc1.consul.']);
    expect(ns.additional.filter((r) => r[0] === 'agent-b.node.dc1.consul.' && r[3] === 'A')).toHaveLength(1);
  });

  it('tells NXDOMAIN from NODATA, both with the SOA in authority', async () => {
    const missing = await dig(portB, ['nope.service.consul', 'A']);
    expect([missing.status, missing.answer.length, missing.authority[0]?.[3]]).toEqual(['NXDOMAIN', 0, 'SOA']);
    expect((await dig(portB, ['web.service.dc9.consul', 'A'])).status).toBe('NXDOMAIN');
    expect((await dig(portB, ['geo.query.consul', 'A'])).status).toBe('NXDOMAIN');
    const nodata = await dig(portB, ['web.service.consul', 'AAAA']);
    expect([nodata.status, nodata.answer.length, nodata.authority[0]?.[3]]).toEqual(['NOERROR', 0, 'SOA']);
  });

  it('follows health checks as they flip: critical leaves, warning stays, passing returns', async () => {
    const flip = (status: string) =>
      register(b, { Node: 'n2', Address: '10.0.0.2', Service: { ID: 'web-2', Service: 'web', Port: 81, Tags: ['v2'] }, Checks: [check('web-2-check', status, 'web-2')] });
    const answers = async () => dataOf((await dig(portB, ['web.service.consul', 'A'])).answer, 'A').sort();
    await flip('critical');
    expect(await answers()).toEqual(['10.0.0.1']);
    await flip('warning');
    expect(await answers()).toEqual(['10.0.0.1', '10.0.0.2']);
    await register(b, { Node: 'n2', Address: '10.0.0.2', Checks: [check('serfHealth', 'critical')] });
    expect(await answers()).toEqual(['10.0.0.1']);
    await register(b, { Node: 'n2', Address: '10.0.0.2', Checks: [check('serfHealth', 'passing')] });
    await flip('passing');
    expect(await answers()).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('shuffles instances across repeated questions', async () => {
    const firsts = new Set<string>();
    for (let i = 0; i < 15; i++) firsts.add(dataOf((await dig(portB, ['big.service.consul', 'A'])).answer, 'A')[0]);
    expect(firsts.size).toBeGreaterThan(3);
  });

  it('truncates UDP answers silently by default, sets TC with enable_truncate, and answers in full over TCP', async () => {
    const silent = await dig(portB, ['+noedns', '+ignore', 'big.service.consul', 'A']);
    expect([silent.answer.length, silent.flags.includes('tc')]).toEqual([3, false]);
    const flagged = await dig(portA, ['+noedns', '+ignore', 'big.service.consul', 'A']);
    expect([flagged.answer.length, flagged.flags.includes('tc')]).toEqual([3, true]);
    // dig retries over TCP when it sees TC, and gets every instance.
    const retried = await dig(portA, ['+noedns', 'big.service.consul', 'A']);
    expect([retried.answer.length, retried.flags.includes('tc')]).toEqual([20, false]);
    const small = await dig(portA, ['+ignore', '+stats', '+bufsize=600', 'big.service.consul', 'SRV']);
    expect(small.answer.length).toBeGreaterThan(3);
    expect(small.answer.length).toBeLessThan(20);
    expect(small.flags.includes('tc')).toBe(true);
    expect(small.raw).toMatch(/MSG SIZE {2}rcvd: ([1-5]\d\d)\n/);
    expect((await dig(portB, ['+tcp', 'big.service.consul', 'SRV'])).answer).toHaveLength(20);
    expect((await dig(portB, ['+bufsize=4096', 'big.service.consul', 'A'])).answer).toHaveLength(20);
  });

  it('applies node_ttl and service_ttl with wildcards, and answers the alt domain in kind', async () => {
    const ttl = async (name: string) => Number((await dig(portA, [name, 'A'])).answer[0][1]);
    expect(await ttl('n1.node.consul')).toBe(10);
    expect(await ttl('web.service.consul')).toBe(5);
    expect(await ttl('db.service.consul')).toBe(7);
    const alt = await dig(portA, ['web.service.weft', 'A']);
    expect(alt.answer.every((r) => r[0] === 'web.service.weft.')).toBe(true);
    expect(dataOf((await dig(portA, ['nope.service.weft', 'A'])).authority, 'SOA')[0]).toMatch(/^ns\.weft\. hostmaster\.weft\./);
  });

  it('forwards other names to the recursors (RA set), SERVFAIL when they time out, REFUSED without recursors', async () => {
    const fwd = await dig(portA, ['www.example', 'A']);
    expect([fwd.status, dataOf(fwd.answer, 'A'), fwd.flags.includes('ra')]).toEqual(['NOERROR', ['198.51.100.7'], true]);
    expect((await dig(portA, ['missing.example', 'A'])).status).toBe('NXDOMAIN');
    expect((await dig(portA, ['+tcp', 'tcp.example', 'A'])).answer).toHaveLength(1);
    expect(upstream.seen.some((s) => s.name === 'tcp.example' && s.transport === 'tcp')).toBe(true);
    expect((await dig(portA, ['slow.example', 'A'])).status).toBe('SERVFAIL');
    const refused = await dig(portB, ['www.example', 'A']);
    expect([refused.status, refused.flags.includes('ra')]).toEqual(['REFUSED', false]);
  });

  it('has no DNS listener with -dns-port=-1', async () => {
    const port = await freePort();
    const off = await startAgent({ args: ['-dns-port=-1', '-node', 'agent-off'] });
    await waitFor(() => off.stdout.includes('DNS: -1'), { what: 'the startup banner' });
    expect(off.stderr).not.toMatch(/DNS server listening/);
    await expect(dig(port, ['+time=1', 'web.service.consul', 'A'])).resolves.toMatchObject({ status: '' });
  });

  it('keeps serving after garbage datagrams', async () => {
    const socket = createSocket('udp4');
    const garbage = [Buffer.from([1]), Buffer.alloc(600, 0xff), Buffer.from('GET / HTTP/1.1\r\n\r\n'), Buffer.concat([Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.alloc(300, 0x3f)])];
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    for (const g of garbage) socket.send(g, portB, '127.0.0.1');
    await waitFor(async () => (await dig(portB, ['web.service.consul', 'A'])).answer.length === 2, { what: 'a good answer after garbage' });
    socket.close();
    expect(b.running).toBe(true);
  });
});
