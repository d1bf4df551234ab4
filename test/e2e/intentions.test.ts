import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectApi, type Intention } from '../../src/api/connect.js';
import { runWeft, startAgent, stopAllAgents, waitFor, type TestAgent } from './harness.js';

let agent: TestAgent;
let api: ConnectApi;
let td: string;
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
});

async function clearAll(): Promise<void> {
  for (const i of (await agent.client.get<Intention[]>('/v1/connect/intentions')).body) {
    await agent.client.delete('/v1/connect/intentions/exact', { query: { source: i.SourceName, destination: i.DestinationName } });
  }
}

/** The call fails with a 400 whose plain-text reason contains `message`. */
async function expectBadRequest(call: () => Promise<unknown>, message: string): Promise<void> {
  const err = await call().then(
    () => null,
    (e: unknown) => e as { statusCode?: number; reason?: string },
  );
  expect(err?.statusCode, message).toBe(400);
  expect(err?.reason, message).toContain(message);
}

const list = async () => (await agent.client.get<Intention[]>('/v1/connect/intentions')).body;
const svc = (name: string) => `spiffe://${td}/ns/default/dc/dc1/svc/${name}`;

describe('intentions over HTTP', () => {
  beforeEach(clearAll);

  it('upserts, reads and deletes by source and destination (1.9+ API)', async () => {
    expect((await agent.client.put('/v1/connect/intentions/exact', { query: { source: 'web', destination: 'db' }, body: { Action: 'allow', Description: 'reads' } })).body).toBe(true);
    const got = await agent.client.get<Intention>('/v1/connect/intentions/exact', { query: { source: 'web', destination: 'db' } });
    expect(got.body).toEqual({
      Description: 'reads',
      SourceNS: 'default',
      SourceName: 'web',
      DestinationNS: 'default',
      DestinationName: 'db',
      SourceType: 'consul',
      Action: 'allow',
      Meta: null,
      Precedence: 9,
      CreateIndex: got.body.CreateIndex,
      ModifyIndex: got.body.ModifyIndex,
    });
    expect(got.meta.index).toBeGreaterThan(0);
    const entry = await agent.client.get<any>('/v1/config/service-intentions/db');
    expect(entry.body).toMatchObject({ Kind: 'service-intentions', Name: 'db', Sources: [{ Name: 'web', Action: 'allow', Precedence: 9, Type: 'consul', Description: 'reads' }] });
    expect((await agent.client.delete('/v1/connect/intentions/exact', { query: { source: 'web', destination: 'db' } })).body).toBe(true);
    await expect(agent.client.get('/v1/connect/intentions/exact', { query: { source: 'web', destination: 'db' } })).rejects.toThrow('404 (Intention not found)');
    expect((await agent.client.delete('/v1/connect/intentions/exact', { query: { source: 'web', destination: 'db' } })).body).toBe(true);
  });

  it('refuses bad input with a 400 and stores nothing', async () => {
    const put = (query: Record<string, string>, body: unknown) => () => agent.client.put('/v1/connect/intentions/exact', { query, body });
    const cases: [() => Promise<unknown>, string][] = [
      [put({ destination: 'db' }, { Action: 'allow' }), "required query parameter 'source' not set"],
      [put({ source: 'web' }, { Action: 'allow' }), "required query parameter 'destination' not set"],
      [put({ source: 'web', destination: 'db' }, { Action: 'perhaps' }), "Sources[0].Action must be set to 'allow' or 'deny'"],
      [put({ source: 'web', destination: 'db' }, { Action: 'allow', Permissions: [{ Action: 'allow', HTTP: { PathExact: '/' } }] }), 'Action must be omitted if Permissions are specified'],
      [put({ source: 'web', destination: 'db' }, { Permissions: [{ Action: 'allow', HTTP: { PathExact: '/' } }] }), 'service "db" has protocol "tcp", which is incompatible with L7 intentions permissions'],
      [put({ source: 'web', destination: 'db' }, { Action: 'allow', Meta: { a: 'b' } }), 'Meta must not be specified'],
      [put({ source: 'a/b/c/d', destination: 'db' }, { Action: 'allow' }), "input can contain at most two '/'"],
      [put({ source: 'w*', destination: 'db' }, { Action: 'allow' }), "wildcard character '*' cannot be used with partial values"],
      [() => agent.client.post('/v1/connect/intentions', { body: { SourceName: 'web', Action: 'allow' } }), 'DestinationName must be set'],
      [() => agent.client.post('/v1/connect/intentions', { body: { SourceName: 'web', DestinationName: 'db', Action: 'allow', ID: 'x' } }), 'ID must be empty when creating a new intention'],
      [() => agent.client.post('/v1/connect/intentions', { body: { SourceName: 'web', DestinationName: 'db', Action: 'allow', SourceType: 'external' } }), "SourceType must be set to 'consul'"],
      [() => agent.client.get('/v1/connect/intentions/not-a-uuid'), 'invalid UUID'],
      [() => agent.client.get('/v1/connect/intentions/match', { query: { name: 'db' } }), "required query parameter 'by' not set"],
      [() => agent.client.get('/v1/connect/intentions/match', { query: { by: 'sideways', name: 'db' } }), "'by' parameter must be one of 'source' or 'destination'"],
      [() => agent.client.get('/v1/connect/intentions/match', { query: { by: 'source' } }), "required query parameter 'name' not set"],
      [() => agent.client.get('/v1/connect/intentions/check', { query: { source: 'web' } }), "required query parameter 'destination' not set"],
      [() => agent.client.get('/v1/connect/intentions', { query: { filter: 'Action ==' } }), 'Failed to create boolean expression evaluator'],
    ];
    for (const [call, message] of cases) await expectBadRequest(call, message);
    expect(await list()).toEqual([]);
    await expect(agent.client.get('/v1/connect/intentions/00000000-0000-0000-0000-000000000000')).rejects.toThrow('404 (Intention not found)');
    await expect(agent.client.put('/v1/connect/intentions/00000000-0000-0000-0000-000000000000', { body: { SourceName: 'a', DestinationName: 'b', Action: 'allow' } })).rejects.toThrow(
      "404 (Cannot modify non-existent intention: '00000000-0000-0000-0000-000000000000')",
    );
  });

  it('keeps the legacy ID API working: create, read, update, delete', async () => {
    const { ID } = (await agent.client.post<{ ID: string }>('/v1/connect/intentions', { body: { SourceName: 'web', DestinationName: 'db', Action: 'allow', Meta: { k: 'v' } } })).body;
    const got = (await agent.client.get<Intention>(`/v1/connect/intentions/${ID}`)).body;
    expect(got).toMatchObject({ ID, SourceName: 'web', DestinationName: 'db', Action: 'allow', Meta: { k: 'v' } });
    expect(got.CreatedAt).toBe(got.UpdatedAt);
    expect((await agent.client.put<{ ID: string }>(`/v1/connect/intentions/${ID}`, { body: { SourceName: 'web', DestinationName: 'db', Action: 'deny' } })).body).toEqual({ ID });
    const updated = (await agent.client.get<Intention>(`/v1/connect/intentions/${ID}`)).body;
    expect(updated).toMatchObject({ Action: 'deny', Meta: {}, CreatedAt: got.CreatedAt });
    await expect(agent.client.put(`/v1/connect/intentions/${ID}`, { body: { SourceName: 'web', DestinationName: 'cache', Action: 'deny' } })).rejects.toThrow('400 (Cannot modify Destination');
    expect((await agent.client.delete(`/v1/connect/intentions/${ID}`)).body).toBe(true);
    expect(await list()).toEqual([]);
  });

  it('lists with ?filter and blocks until an intention changes', async () => {
    await api.intentionCheck('x', 'y');
    await agent.client.put('/v1/connect/intentions/exact', { query: { source: 'web', destination: 'db' }, body: { Action: 'allow' } });
    await agent.client.put('/v1/connect/intentions/exact', { query: { source: '*', destination: 'db' }, body: { Action: 'deny' } });
    const first = await agent.client.get<Intention[]>('/v1/connect/intentions');
    expect(first.body.map((i) => i.SourceName)).toEqual(['web', '*']);
    expect((await agent.client.get<Intention[]>('/v1/connect/intentions', { query: { filter: 'Action == "deny"' } })).body.map((i) => i.SourceName)).toEqual(['*']);

    const waiting = agent.client.get<Intention[]>('/v1/connect/intentions', { query: { index: first.meta.index, wait: '30s' } });
    const matchWait = api.intentionMatch('destination', ['db'], { index: first.meta.index, wait: '30s' });
    await agent.client.put('/v1/connect/intentions/exact', { query: { source: 'api', destination: 'db' }, body: { Action: 'allow' } });
    const woke = await waiting;
    expect(woke.meta.index).toBeGreaterThan(first.meta.index);
    expect(woke.body).toHaveLength(3);
    expect((await matchWait).body.db.map((i) => i.SourceName)).toEqual(['api', 'web', '*']);
  });

  it('matches by source and destination for several names, in precedence order', async () => {
    for (const [s, d, a] of [['web', '*', 'deny'], ['web', 'db', 'allow'], ['*', 'db', 'deny'], ['*', '*', 'allow']]) {
      await agent.client.put('/v1/connect/intentions/exact', { query: { source: s, destination: d }, body: { Action: a } });
    }
    const answer = await api.intentionMatch('destination', ['db', 'cache']);
    expect(answer.headers['x-weft-default-intention-policy']).toBe('allow');
    expect(ConnectApi.defaultAllow(answer)).toBe(true);
    const byDest = answer.body;
    expect(Object.keys(byDest)).toEqual(['db', 'cache']);
    expect(byDest.db.map((i) => [i.SourceName, i.DestinationName, i.Precedence])).toEqual([['web', 'db', 9], ['*', 'db', 8], ['web', '*', 6], ['*', '*', 5]]);
    expect(byDest.cache.map((i) => [i.SourceName, i.Precedence])).toEqual([['web', 6], ['*', 5]]);
    const bySrc = (await api.intentionMatch('source', ['api'])).body;
    expect(bySrc.api.map((i) => [i.SourceName, i.DestinationName])).toEqual([['*', 'db'], ['*', '*']]);
    expect((await api.intentionCheck('api', 'db')).body.Allowed).toBe(false);
    expect((await api.intentionCheck('api', 'cache')).body.Allowed).toBe(true);
    expect((await api.intentionCheck('web', 'cache')).body.Allowed).toBe(false);
  });

  it('treats an L7 intention as deny for authorize and check, once the destination speaks HTTP', async () => {
    expect((await agent.client.put('/v1/config', { body: { Kind: 'service-defaults', Name: 'api', Protocol: 'http' } })).body).toBe(true);
    const perms = [{ Action: 'allow', HTTP: { PathPrefix: '/v1', Methods: ['get'], Header: [{ Name: 'x-role', Exact: 'ops' }] } }];
    await agent.client.put('/v1/connect/intentions/exact', { query: { source: 'web', destination: 'api' }, body: { Permissions: perms } });
    const ixn = (await agent.client.get<Intention>('/v1/connect/intentions/exact', { query: { source: 'web', destination: 'api' } })).body;
    expect(ixn.Permissions).toEqual([{ Action: 'allow', HTTP: { PathPrefix: '/v1', Methods: ['GET'], Header: [{ Name: 'x-role', Exact: 'ops' }] } }]);
    expect(ixn.Action).toBeUndefined();
    expect((await api.authorize('api', svc('web'))).body).toEqual({ Authorized: false, Reason: 'Matched L7 intention: default/web => default/api (Precedence: 9, Permissions: 1)' });
    expect((await api.intentionCheck('web', 'api')).body.Allowed).toBe(false);
    await expect(agent.client.put('/v1/config', { body: { Kind: 'service-defaults', Name: 'api', Protocol: 'tcp' } })).rejects.toThrow('400 (service "api" has protocol "tcp"');
    expect(await weft('intention', 'get', 'web', 'api')).toMatchObject({ code: 0, stdout: expect.stringContaining('Permissions:\n[\n  {\n    "Action": "allow"') });
  });
});

describe('config entries', () => {
  beforeEach(clearAll);

  it('writes, reads, lists and deletes entries, with check-and-set', async () => {
    const entry = { Kind: 'service-intentions', Name: 'ledger', Sources: [{ Name: '*', Action: 'deny' }, { Name: 'billing', Action: 'allow' }] };
    expect((await agent.client.put('/v1/config', { body: entry, query: { cas: 0 } })).body).toBe(true);
    expect((await agent.client.put('/v1/config', { body: entry, query: { cas: 0 } })).body).toBe(false);
    const got = await agent.client.get<any>('/v1/config/service-intentions/ledger');
    expect(got.body.Sources).toEqual([
      { Name: 'billing', Action: 'allow', Type: 'consul', Precedence: 9 },
      { Name: '*', Action: 'deny', Type: 'consul', Precedence: 8 },
    ]);
    expect(got.meta.index).toBe(got.body.ModifyIndex);
    expect((await api.intentionCheck('billing', 'ledger')).body.Allowed).toBe(true);
    expect((await api.intentionCheck('other', 'ledger')).body.Allowed).toBe(false);
    expect((await agent.client.get<any[]>('/v1/config/service-intentions')).body.map((e) => e.Name)).toEqual(['ledger']);

    const stale = got.body.ModifyIndex - 1;
    expect((await agent.client.delete('/v1/config/service-intentions/ledger', { query: { cas: stale } })).body).toBe(false);
    expect((await agent.client.delete('/v1/config/service-intentions/ledger', { query: { cas: got.body.ModifyIndex } })).body).toBe(true);
    await expect(agent.client.get('/v1/config/service-intentions/ledger')).rejects.toThrow('404 (Config entry not found for "service-intentions" / "ledger")');
    expect((await agent.client.put('/v1/config', { body: { kind: 'proxy-defaults', name: 'global', config: { protocol: 'http' } } })).body).toBe(true);
    expect((await agent.client.delete('/v1/config/proxy-defaults/global')).body).toEqual({});
  });

  it('refuses bad entries with a 400 and stores nothing', async () => {
    const cases: [unknown, string][] = [
      [{ Kind: 'nonsense', Name: 'x' }, 'invalid config entry kind: nonsense'],
      [{ Name: 'x' }, 'Kind value in payload is missing'],
      [{ Kind: 'service-intentions', Name: 'db', Sources: [] }, 'At least one source is required'],
      [{ Kind: 'service-intentions', Name: 'db', Sources: [{ Name: 'a', Action: 'allow' }, { Name: 'a', Action: 'deny' }] }, 'Sources[1] defines "a" more than once'],
      [{ Kind: 'service-intentions', Name: 'db', Sources: [{ Name: 'a', Action: 'allow', Bogus: 1 }] }, 'invalid config key "Sources[0].Bogus"'],
      [{ Kind: 'service-intentions', Name: 'db', Sources: [{ Name: 'a', Permissions: [{ Action: 'allow', HTTP: { PathRegex: '(' } }] }] }, 'PathRegex is not a valid regular expression'],
      [{ Kind: 'service-defaults', Name: 'db', Protocol: 'smtp' }, 'invalid value for Protocol: "smtp"'],
      [{ Kind: 'proxy-defaults', Name: 'local' }, 'invalid name ("local"), only "global" is supported'],
    ];
    for (const [body, message] of cases) await expectBadRequest(() => agent.client.put('/v1/config', { body }), message);
    await expect(agent.client.get('/v1/config/nonsense')).rejects.toThrow('400 (invalid config entry kind: nonsense)');
    await expect(agent.client.delete('/v1/config/service-defaults')).rejects.toThrow('404 (Must provide both a kind and name to delete)');
    for (const path of ['service-intentions/db', 'service-defaults/db', 'proxy-defaults/local']) await expect(agent.client.get(`/v1/config/${path}`)).rejects.toThrow('404');
  });
});

