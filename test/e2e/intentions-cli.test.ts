import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/index.js';
import { ConnectApi, type Intention } from '../../src/api/connect.js';
import { removeDir, runWeft, startAgent, stopAllAgents, tempDir, waitFor, type TestAgent } from './harness.js';

let agent: TestAgent;
let api: ConnectApi;
let td: string;
const dir = tempDir();
/** A CLI process can wait long for a core on a loaded machine; the harness default (30 s) is too tight. */
const CLI_TIMEOUT_MS = 90_000;
const weft = (...args: string[]) => runWeft([...args.slice(0, 2), '-http-addr', agent.address, ...args.slice(2)], { timeoutMs: CLI_TIMEOUT_MS });

beforeAll(async () => {
  agent = await startAgent({ args: ['-dev', '-node', 'ixn-node'] });
  api = new ConnectApi(agent.client);
  td = await waitFor(async () => (await api.roots()).body.TrustDomain, { what: 'the CA to be set up' });
});
afterAll(async () => {
  await stopAllAgents();
  removeDir(dir);
});

async function clearAll(): Promise<void> {
  for (const i of (await agent.client.get<Intention[]>('/v1/connect/intentions')).body) {
    await agent.client.delete('/v1/connect/intentions/exact', { query: { source: i.SourceName, destination: i.DestinationName } });
  }
}

const list = async () => (await agent.client.get<Intention[]>('/v1/connect/intentions')).body;
const svc = (name: string) => `spiffe://${td}/ns/default/dc/dc1/svc/${name}`;

// Every step is a whole CLI process; on a busy 2-core machine a test of ten of them needs room.
describe('the seed demo, with weft in place of consul', { timeout: 240_000 }, () => {
  beforeAll(clearAll);

  it('denies web everything but db', async () => {
    expect(await weft('intention', 'create', '-deny', 'web', '*')).toMatchObject({ code: 0, stdout: 'Created: web => * (deny)\n' });
    expect(await weft('intention', 'create', '-allow', 'web', 'db')).toMatchObject({ code: 0, stdout: 'Created: web => db (allow)\n' });
    // Read-only commands run side by side: each is a whole CLI process.
    const [allowed, denied, other, l, byDest, bySource] = await Promise.all([
      weft('intention', 'check', 'web', 'db'),
      weft('intention', 'check', 'web', 'other'),
      weft('intention', 'check', 'api', 'other'),
      weft('intention', 'list'),
      weft('intention', 'match', 'db'),
      weft('intention', 'match', '-source', 'web'),
    ]);
    expect(allowed).toMatchObject({ code: 0, stdout: 'Allowed\n' });
    expect(denied).toMatchObject({ code: 2, stdout: 'Denied\n' });
    expect(other).toMatchObject({ code: 0, stdout: 'Allowed\n' });
    expect(l.code).toBe(0);
    const rows = l.stdout.trim().split('\n').map((line) => line.split(/\s+/));
    expect(rows[0]).toEqual(['ID', 'Source', 'Action', 'Destination', 'Precedence']);
    expect(rows.slice(1).map((r) => r.slice(1))).toEqual([
      ['web', 'allow', 'db', '9'],
      ['web', 'deny', '*', '6'],
    ]);
    expect(rows[1][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(byDest).toMatchObject({ code: 0, stdout: 'web => db (allow)\nweb => * (deny)\n' });
    expect(bySource).toMatchObject({ code: 0, stdout: 'web => db (allow)\nweb => * (deny)\n' });
  });

  it('authorizes connections the way the proxies will ask', async () => {
    const ok = await api.authorize('db', svc('web'));
    expect(ok.body.Authorized).toBe(true);
    expect(ok.body.Reason).toMatch(/^Matched L4 intention: default\/web => default\/db \(ID: [0-9a-f-]{36}, Precedence: 9, Action: ALLOW\)$/);
    expect((await api.authorize('other', svc('web'))).body).toMatchObject({ Authorized: false });
    expect((await api.authorize('db', svc('api'))).body).toEqual({ Authorized: true, Reason: 'Default behavior configured by ACLs' });
    expect((await api.authorize('db', 'spiffe://another.consul/ns/default/dc/dc1/svc/web')).body).toMatchObject({ Authorized: false, Reason: expect.stringContaining('trust domain') });
    const bad: [unknown, string][] = [
      [{ ClientCertURI: svc('web') }, 'Target service must be specified'],
      [{ Target: 'db', ClientCertURI: 'https://example.com' }, 'ClientCertURI not a valid Connect identifier'],
      [{ Target: 'db', ClientCertURI: `spiffe://${td}/agent/client/dc/dc1/id/n1` }, 'ClientCertURI not a valid Service identifier'],
    ];
    for (const [body, message] of bad) await expect(agent.client.post('/v1/agent/connect/authorize', { body })).rejects.toThrow(`400 (${message})`);
  });

  it('shows help for the intention commands', async () => {
    const r = await runWeft(['intention', 'create', '-h'], { timeoutMs: CLI_TIMEOUT_MS });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: weft intention create \[options\] SRC DST\n/);
    expect(r.stdout).toContain('-replace');
  });

  it('shows, replaces and deletes intentions from the CLI', async () => {
    const got = await weft('intention', 'get', 'web', 'db');
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/^Source:\s+web\nDestination:\s+db\nAction:\s+allow\nID:\s+[0-9a-f-]{36}\nPrecedence:\s+9\nCreated At:\s+\w+day, \d\d-\w{3}-\d\d \d\d:\d\d:\d\d UTC\n$/);
    const id = /ID:\s+(\S+)/.exec(got.stdout)![1];
    expect((await weft('intention', 'get', id)).stdout).toBe(got.stdout);

    const dup = await weft('intention', 'create', '-deny', 'web', 'db');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^Error creating intention "web => db \(deny\)": Unexpected response code: 400 \(duplicate intention found: default\/web => default\/db/);
    expect(await weft('intention', 'create', '-deny', '-replace', 'web', 'db')).toMatchObject({ code: 0, stdout: 'Created: web => db (deny)\n' });
    expect(await weft('intention', 'check', 'web', 'db')).toMatchObject({ code: 2 });
    expect((await api.intentionCheck('web', 'db')).body).toEqual({ Allowed: false });

    // An intention made by name is replaced in place, keeping it ID-less.
    await agent.client.put('/v1/connect/intentions/exact', { query: { source: 'api', destination: 'db' }, body: { Action: 'deny' } });
    expect(await weft('intention', 'create', '-allow', '-replace', 'api', 'db')).toMatchObject({ code: 0, stdout: 'Created: api => db (allow)\n' });
    expect((await agent.client.get<Intention>('/v1/connect/intentions/exact', { query: { source: 'api', destination: 'db' } })).body).toMatchObject({ Action: 'allow' });
    expect((await agent.client.get<Intention>('/v1/connect/intentions/exact', { query: { source: 'api', destination: 'db' } })).body.ID).toBeUndefined();
    await agent.client.delete('/v1/connect/intentions/exact', { query: { source: 'api', destination: 'db' } });

    expect(await weft('intention', 'delete', 'web', 'db')).toMatchObject({ code: 0, stdout: 'Intention deleted.\n' });
    expect(await weft('intention', 'get', 'web', 'db')).toMatchObject({ code: 1, stderr: 'Intention not found with source "web" and destination "db"\n' });
    const other = (await list()).find((i) => i.DestinationName === '*')!;
    expect(await weft('intention', 'delete', other.ID!)).toMatchObject({ code: 0 });
    expect(await weft('intention', 'list')).toMatchObject({ code: 2, stderr: 'There are no intentions.\n' });
  });

  it('creates with meta, a description, and from files or stdin; refuses bad arguments', async () => {
    const m = await weft('intention', 'create', '-meta', 'team=ops', '-meta', 'ticket=42', '-description', 'ops reads metrics', 'ops', 'metrics');
    expect(m.code).toBe(0);
    const got = (await weft('intention', 'get', 'ops', 'metrics')).stdout;
    expect(got).toMatch(/\nDescription:\s+ops reads metrics\n/);
    expect(got).toMatch(/Meta\[team\]:\s+ops\nMeta\[ticket\]:\s+42\n/);

    const file = join(dir, 'ixn.json');
    writeFileSync(file, JSON.stringify({ SourceName: 'billing', DestinationName: 'ledger', Action: 'deny' }));
    expect(await weft('intention', 'create', '-file', file)).toMatchObject({ code: 0, stdout: 'Created: billing => ledger (deny)\n' });
    const stdin = await runWeft(['intention', 'create', '-http-addr', agent.address, '-file', '-'], { input: JSON.stringify({ SourceName: 'cron', DestinationName: 'ledger', Action: 'allow' }), timeoutMs: CLI_TIMEOUT_MS });
    expect(stdin).toMatchObject({ code: 0, stdout: 'Created: cron => ledger (allow)\n' });
    const l7 = join(dir, 'l7.json');
    writeFileSync(l7, JSON.stringify({ SourceName: 'a', DestinationName: 'b', Permissions: [{ Action: 'allow', HTTP: { PathPrefix: '/' } }] }));
    expect((await weft('intention', 'create', '-file', l7)).stderr).toContain("use 'weft config write' instead");

    const [both, one, partial, ns, check1, match2, del0] = await Promise.all([
      weft('intention', 'create', '-allow', '-deny', 'a', 'b'),
      weft('intention', 'create', 'onlyone'),
      weft('intention', 'create', 'w*b', 'db'),
      weft('intention', 'create', 'team/web', 'db'),
      weft('intention', 'check', 'a'),
      weft('intention', 'match', '-source', '-destination', 'a'),
      weft('intention', 'delete'),
    ]);
    expect(both).toMatchObject({ code: 1, stderr: 'Only one of -allow or -deny may be specified.\n' });
    expect(one).toMatchObject({ code: 1, stderr: 'Error: Must specify two arguments: source and destination\n' });
    expect(partial.stderr).toContain("SourceName: wildcard character '*' cannot be used with partial values");
    expect(ns.stderr).toContain('only the default namespace exists');
    expect(check1).toMatchObject({ code: 1, stderr: 'Error: command requires exactly two arguments: src and dst\n' });
    expect(match2).toMatchObject({ code: 1 });
    expect(del0).toMatchObject({ code: 1, stderr: 'command requires exactly 1 or 2 arguments\n' });
    expect((await list()).map((i) => `${i.SourceName}>${i.DestinationName}`).sort()).toEqual(['billing>ledger', 'cron>ledger', 'ops>metrics']);
  });
});

describe('agent configuration', () => {
  it('takes the default decision from the ACL default policy when ACLs are enabled', async () => {
    const file = join(dir, 'acl-deny.json');
    const root = '6d5ab9a0-2d0c-4f5b-9a3e-5c8e1f0d4b21';
    writeFileSync(file, JSON.stringify({ acl: { enabled: true, default_policy: 'deny', tokens: { initial_management: root } } }));
    const denyAgent = await startAgent({ args: ['-dev', '-config-file', file] });
    // With ACLs on, the anonymous token may do nothing; the management token may do all.
    const managed = new ApiClient({ address: `http://${denyAgent.address}`, token: root });
    const c = new ConnectApi(managed);
    const trust = await waitFor(async () => (await c.roots()).body.TrustDomain, { what: 'the CA to be set up' });
    expect((await c.intentionCheck('web', 'db')).body.Allowed).toBe(false);
    expect((await c.authorize('db', `spiffe://${trust}/ns/default/dc/dc1/svc/web`)).body).toEqual({ Authorized: false, Reason: 'Default behavior configured by ACLs' });
    expect(ConnectApi.defaultAllow(await c.intentionMatch('destination', ['db']))).toBe(false);
    await managed.put('/v1/connect/intentions/exact', { query: { source: 'web', destination: 'db' }, body: { Action: 'allow' } });
    expect((await c.intentionCheck('web', 'db')).body.Allowed).toBe(true);
    managed.close();
    await denyAgent.stop();
  });

  it('answers Connect endpoints with Consul\'s error when Connect is disabled', async () => {
    const file = join(dir, 'no-connect.json');
    writeFileSync(file, JSON.stringify({ connect: { enabled: false } }));
    const off = await startAgent({ args: ['-dev', '-config-file', file] });
    for (const path of ['/v1/connect/ca/roots', '/v1/connect/intentions', '/v1/agent/connect/ca/leaf/web']) {
      await expect(off.client.get(path), path).rejects.toThrow('500 (Connect must be enabled in order to use this endpoint)');
    }
    await off.stop();
  });
});
