import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../src/api/index.js';
import { EtcdCluster, type EtcdMember } from '../../src/state/backend/test-etcd.js';
import { startClient, startServer, stopCluster, type ClusterAgent } from './cluster-harness.js';
import { runWeft, waitFor } from './harness.js';
import { etcdArgs, leaderOf, Writer, type WriterStats } from './ha-harness.js';

interface KvPair {
  Key: string;
  Value: string | null;
}

let etcd: EtcdCluster;
let servers: ClusterAgent[] = [];
let clients: ClusterAgent[] = [];
/** Every write acknowledged anywhere in this file, checked at the end of each test. */
const ackedKv = new Map<string, string>();
const ackedServices = new Set<string>();

beforeAll(async () => {
  etcd = await EtcdCluster.start(3);
  servers = await Promise.all([1, 2, 3].map((i) => startServer({ node: `s${i}`, args: etcdArgs(etcd) })));
  const leader = (await waitFor(() => leaderOf(servers[0], servers), { timeoutMs: 20_000, what: 'a leader' }))!;
  // The clients join the leader first, so killing it takes away both their server and the leader.
  const join = [leader, ...servers.filter((s) => s !== leader)].flatMap((s) => ['-retry-join', s.serfAddress]);
  clients = await Promise.all([1, 2].map((i) => startClient('', { node: `c${i}`, args: [...join, '-retry-interval', '200ms'] })));
  await waitFor(async () => (await leader.client.get<unknown[]>('/v1/agent/members')).body.length === 5, { timeoutMs: 20_000, what: '5 members' });
});

afterAll(async () => {
  await stopCluster();
  await etcd?.stop();
});

const kvWriter = (name: string, agent: ClusterAgent) =>
  new Writer(name, agent, async (c, seq, signal) => {
    const key = `load/${name}/${seq}`;
    const r = await c.put<boolean>(`/v1/kv/${key}`, { rawBody: `v${seq}`, signal });
    if (r.body !== true) throw new Error('not written');
    ackedKv.set(key, `v${seq}`);
  });

const serviceWriter = (name: string, agent: ClusterAgent) =>
  new Writer(name, agent, async (c, seq, signal) => {
    const id = `${name}-${seq}`;
    await c.put('/v1/catalog/register', { body: { Node: 'load-node', Address: '10.9.0.1', Service: { ID: id, Service: 'load', Port: 1000 + (seq % 1000) } }, signal });
    ackedServices.add(id);
  });

/** Waits until every writer has had `n` more writes acknowledged. */
async function progress(writers: Writer[], n: number): Promise<void> {
  const base = writers.map((w) => w.stats.acked.length);
  await waitFor(() => writers.every((w, i) => w.stats.acked.length >= base[i] + n), { timeoutMs: 30_000, what: `${n} more acknowledged writes per writer` });
}

/**
 * Writes `key`, then starts a blocking query on it through `agent` at its modify index; the
 * returned function resolves with the value the query was woken with. (An existing key's
 * index moves only with the key, so the load on other keys does not end the query.)
 */
async function blockOn(agent: ClusterAgent, key: string): Promise<() => Promise<string>> {
  await agent.client.put(`/v1/kv/${key}`, { rawBody: 'before' });
  const c = new ApiClient({ address: `http://127.0.0.1:${agent.ports.http}` });
  const first = await c.get<KvPair[]>(`/v1/kv/${key}`, { query: { consistent: true } });
  const pending = c.get<KvPair[]>(`/v1/kv/${key}`, { query: { index: first.meta.index, wait: '60s' } });
  // Awaited below; a test that fails first must not leave it unhandled.
  pending.catch(() => undefined);
  return async () => {
    try {
      const v = (await pending).body[0].Value;
      return v ? Buffer.from(v, 'base64').toString('utf8') : '';
    } finally {
      c.close();
    }
  };
}

/** A write that may land in an outage window: tried until acknowledged (the writers measure the window). */
async function putEventually(agent: ClusterAgent, key: string, value: string): Promise<void> {
  await waitFor(async () => (await agent.client.put<boolean>(`/v1/kv/${key}`, { rawBody: value })).body === true, { timeoutMs: 15_000, what: `PUT ${key}` });
}

/** Checks every acknowledged write on one server (a consistent read); returns the ones missing. */
async function missingOn(agent: ClusterAgent): Promise<string[]> {
  const c = agent.client;
  const kv = (await c.get<KvPair[]>('/v1/kv/load/', { query: { recurse: true, consistent: true } })).body;
  const have = new Map(kv.map((p) => [p.Key, Buffer.from(p.Value ?? '', 'base64').toString('utf8')]));
  const missing = [...ackedKv].filter(([k, v]) => have.get(k) !== v).map(([k]) => k);
  const node = (await c.get<{ Services: Record<string, unknown> } | null>('/v1/catalog/node/load-node', { query: { consistent: true } })).body;
  for (const id of ackedServices) if (!node?.Services[id]) missing.push(`service ${id}`);
  return missing;
}

/** The etcd member that is etcd's raft leader, from its maintenance status. */
async function etcdLeader(members: EtcdMember[]): Promise<EtcdMember> {
  for (const m of members) {
    if (!m.running) continue;
    const s = await new Promise<{ header: { member_id: string }; leader: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: m.clientPort, method: 'POST', path: '/v3/maintenance/status' }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(JSON.parse(body)));
      });
      req.on('error', reject);
      req.end('{}');
    });
    if (s.header.member_id === s.leader) return m;
  }
  throw new Error('no etcd leader');
}

function report(what: string, stats: WriterStats[], extra: Record<string, unknown>): void {
  const acked = stats.reduce((n, s) => n + s.acked.length, 0);
  const failed = stats.reduce((n, s) => n + s.failures, 0);
  const outage = Math.max(...stats.map((s) => s.longestGapMs));
  const per = stats.map((s) => `${s.name}: ${s.acked.length} acked, longest gap ${s.longestGapMs} ms ending ${s.longestGapEnd}`).join('; ');
  console.log(`[ha] ${what}: acked=${acked} failed(unacknowledged)=${failed} longest write outage=${outage} ms ${JSON.stringify(extra)} (${per})`);
}

describe('Weft servers sharing a 3-member etcd cluster', () => {
  it('keep taking writes through kill -9 of the leading Weft server and of etcd’s leader, losing nothing acknowledged', async () => {
    const victim = (await leaderOf(servers[0], servers))!;
    const survivors = servers.filter((s) => s !== victim);
    const writers = [kvWriter('c1', clients[0]), kvWriter('c2', clients[1]), serviceWriter('svc', clients[0]), kvWriter('direct', survivors[0])];
    await progress(writers, 20);
    const throughClient = await blockOn(clients[0], 'bq/client');

    const killedAt = Date.now();
    await victim.kill9();
    const newLeader = (await waitFor(
      async () => {
        const l = await leaderOf(survivors[0], servers);
        return l && l !== victim ? l : undefined;
      },
      { timeoutMs: 20_000, what: 'a new leader' },
    ))!;
    const failoverMs = Date.now() - killedAt;
    await putEventually(clients[1], 'bq/client', 'after-server-kill');
    // The blocking query was held by the dead server; the client agent re-issued it to another.
    expect(await throughClient()).toBe('after-server-kill');
    await progress(writers, 20);

    // The dead server leaves the peers (its lease expired) and the survivors agree on the leader.
    await waitFor(async () => (await survivors[1].client.get<string[]>('/v1/status/peers')).body.length === 2, { what: 'two peers' });
    const peers = await runWeft(['operator', 'raft', 'list-peers', '-http-addr', `127.0.0.1:${survivors[1].ports.http}`]);
    expect(peers.code).toBe(0);
    expect(peers.stdout).toMatch(new RegExp(`${newLeader.node}\\s+\\S+\\s+127\\.0\\.0\\.1:${newLeader.ports.server}\\s+leader`));
    expect(peers.stdout).not.toContain(victim.node);

    const direct = await Promise.all(survivors.map((s, i) => blockOn(s, `bq/direct${i}`)));
    const etcdVictim = await etcdLeader(etcd.members);
    const etcdKilledAt = Date.now();
    await etcdVictim.kill9();
    for (let i = 0; i < survivors.length; i++) await putEventually(survivors[0], `bq/direct${i}`, 'after-etcd-kill');
    for (const d of direct) expect(await d()).toBe('after-etcd-kill');
    await progress(writers, 20);
    const stats = await Promise.all(writers.map((w) => w.stop()));

    // The killed server comes back on its data dir and catches up from etcd.
    const back = await startServer({ node: victim.node, dataDir: victim.dataDir, ports: victim.ports, args: etcdArgs(etcd) });
    servers = [...survivors, back];
    const lost = new Set<string>();
    for (const s of servers) for (const k of await missingOn(s)) lost.add(k);
    report('failover', stats, { lost: lost.size, leader_failover_ms: failoverMs, killed: [victim.node, etcdVictim.name], weft_killed_at: killedAt, etcd_killed_at: etcdKilledAt });
    expect([...lost]).toEqual([]);
    expect(Math.max(...stats.map((s) => s.longestGapMs))).toBeLessThan(5000);
    expect(failoverMs).toBeLessThan(10_000);
  });

  it('without etcd quorum fails writes fast with "No cluster leader", keeps ?stale reads, and loses nothing when quorum returns', async () => {
    const s = servers[0];
    // One member of three left: no quorum.
    for (const m of etcd.members.filter((x) => x.running).slice(1)) await m.kill9();
    const dead = etcd.members.filter((m) => !m.running);
    expect(dead).toHaveLength(2);

    const t0 = Date.now();
    const err = await s.client.put('/v1/kv/no-quorum', { rawBody: 'x' }).then(
      () => null,
      (e: unknown) => e,
    );
    const refusedMs = Date.now() - t0;
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).statusCode).toBe(500);
    expect((err as ApiError).reason).toMatch(/No cluster leader/);
    expect(refusedMs).toBeLessThan(8000);

    const stale = await s.client.get<KvPair[]>('/v1/kv/load/', { query: { recurse: true, stale: true } });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBeGreaterThan(0);
    await expect(s.client.get('/v1/kv/load/', { query: { recurse: true, consistent: true } })).rejects.toThrow(/No cluster leader/);

    for (const m of dead) m.restart();
    await etcd.waitHealthy();
    await waitFor(async () => (await s.client.put<boolean>('/v1/kv/load/after-quorum', { rawBody: 'y' })).body === true, { timeoutMs: 30_000, what: 'writes after quorum returns' });
    ackedKv.set('load/after-quorum', 'y');
    const lost = new Set<string>();
    for (const srv of servers) for (const k of await missingOn(srv)) lost.add(k);
    console.log(`[ha] no quorum: write refused after ${refusedMs} ms; lost after quorum returned=${lost.size}`);
    expect([...lost]).toEqual([]);
  });
});
