import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/index.js';
import { startAgent, stopAllAgents } from './harness.js';
import { b64, createSession, registerNode, unb64 } from './session-fixtures.js';

let api: ApiClient;
beforeAll(async () => {
  api = (await startAgent({ args: ['-dev', '-node', 'txn-node'] })).client;
  await registerNode(api, 'txn-node');
});
afterAll(stopAllAgents);

interface Outcome {
  Results: Record<string, any>[] | null;
  Errors: { OpIndex: number; What: string }[] | null;
}
const txn = (ops: unknown) => api.put<Outcome>('/v1/txn', { body: ops, accept: [400, 409, 413] });
const kv = (Verb: string, Key: string, extra: Record<string, unknown> = {}) => ({ KV: { Verb, Key, ...extra } });

describe('/v1/txn', () => {
  it('applies KV and catalog ops atomically in one index', async () => {
    const r = await txn([
      kv('set', 'tx/a', { Value: b64('1') }),
      kv('cas', 'tx/b', { Value: b64('2'), Index: 0 }),
      { Node: { Verb: 'set', Node: { Node: 'web-1', Address: '10.0.0.9' } } },
      { Service: { Verb: 'set', Node: 'web-1', Service: { Service: 'web', Port: 8080, Tags: ['v1'] } } },
      { Check: { Verb: 'set', Check: { Node: 'web-1', CheckID: 'web-alive', Name: 'alive', Status: 'passing', ServiceID: 'web' } } },
      kv('get', 'tx/a'),
    ]);
    expect(r.status).toBe(200);
    expect(r.body.Errors).toBeNull();
    const [a, b, node, service, check, got] = r.body.Results!;
    expect(a.KV).toMatchObject({ Key: 'tx/a', Value: null });
    expect(unb64(got.KV.Value)).toBe('1');
    expect(node.Node).toMatchObject({ Node: 'web-1', Address: '10.0.0.9', Datacenter: 'dc1' });
    expect(service.Service).toMatchObject({ ID: 'web', Service: 'web', Port: 8080, Tags: ['v1'] });
    expect(check.Check).toMatchObject({ CheckID: 'web-alive', ServiceName: 'web', Status: 'passing' });
    const index = a.KV.ModifyIndex;
    for (const x of [b.KV, node.Node, service.Service, check.Check]) expect(x.ModifyIndex).toBe(index);
    const health = await api.get<any[]>('/v1/health/service/web');
    expect(health.body[0].Service.Port).toBe(8080);
  });

  it('changes nothing when one op fails, answering 409 with every failed op', async () => {
    await api.put('/v1/kv/tx/keep', { rawBody: 'old' });
    const before = (await api.get<any[]>('/v1/kv/tx/keep')).body[0];
    const r = await txn([
      kv('set', 'tx/keep', { Value: b64('new') }),
      kv('delete-tree', 'tx/'),
      { Node: { Verb: 'set', Node: { Node: 'never', Address: '10.0.0.1' } } },
      kv('check-index', 'tx/keep', { Index: 1 }),
      kv('check-not-exists', 'tx/a'),
    ]);
    expect(r.status).toBe(409);
    expect(r.body).toEqual({
      Results: null,
      Errors: [
        // Ops run in order, so the delete-tree has already removed tx/keep when check-index runs.
        { OpIndex: 3, What: 'failed to check index, key "tx/keep" doesn\'t exist' },
      ],
    });
    expect((await api.get<any[]>('/v1/kv/tx/keep')).body[0]).toEqual(before);
    expect((await api.get('/v1/kv/tx/a')).status).toBe(200);
    expect((await api.get('/v1/catalog/node/never', { accept: [404] })).body).toBeFalsy();
  });

  it('enforces the 64-op limit, the value limit and the body format with Consul’s texts', async () => {
    const ops = (n: number) => Array.from({ length: n }, (_, i) => kv('set', `tx/limit/${i}`, { Value: b64('v') }));
    expect((await txn(ops(64))).status).toBe(200);
    const tooMany = await txn(ops(65));
    expect([tooMany.status, tooMany.body]).toEqual([413, 'Transaction contains too many operations (65 > 64)']);
    expect((await api.get('/v1/kv/tx/limit/', { query: { keys: true } })).body).toHaveLength(64);
    const big = await txn([kv('set', 'tx/big', { Value: Buffer.alloc(512 * 1024 + 1).toString('base64') })]);
    expect(big.status).toBe(413);
    const garbage = await api.put('/v1/txn', { rawBody: '{nope', accept: [400] });
    expect(garbage.status).toBe(400);
    expect(String(garbage.body)).toMatch(/^Failed to parse body: /);
    const badValue = await txn([kv('set', 'tx/b64', { Value: '***' })]);
    expect(badValue.status).toBe(400);
  });

  it('answers read-only transactions without a write, with the consistency headers', async () => {
    const before = (await api.get('/v1/kv/tx/keep')).meta.index;
    const r = await api.put<Outcome>('/v1/txn', { body: [kv('get', 'tx/keep'), kv('get-tree', 'tx/limit/1'), kv('get-or-empty', 'tx/none')] });
    expect(r.status).toBe(200);
    expect(r.headers['x-consul-knownleader']).toBe('true');
    expect(r.headers['x-consul-lastcontact']).toBe('0');
    expect(r.body.Results!.map((x) => x.KV.Key)).toEqual(['tx/keep', 'tx/limit/1', 'tx/limit/10', 'tx/limit/11', 'tx/limit/12', 'tx/limit/13', 'tx/limit/14', 'tx/limit/15', 'tx/limit/16', 'tx/limit/17', 'tx/limit/18', 'tx/limit/19', 'tx/none']);
    expect((await api.get('/v1/kv/tx/keep')).meta.index).toBe(before);
    const missing = await txn([kv('get', 'tx/none')]);
    expect([missing.status, missing.body.Errors]).toEqual([409, [{ OpIndex: 0, What: 'key "tx/none" doesn\'t exist' }]]);
  });

  it('supports cas and delete-cas on catalog rows and refuses stale indexes', async () => {
    const set = await txn([{ Node: { Verb: 'cas', Node: { Node: 'cas-node', Address: '10.1.1.1', ModifyIndex: 0 } } }]);
    const index = set.body.Results![0].Node.ModifyIndex;
    const stale = await txn([{ Node: { Verb: 'delete-cas', Node: { Node: 'cas-node', ModifyIndex: index + 1 } } }]);
    expect(stale.body.Errors).toEqual([{ OpIndex: 0, What: 'failed to delete node "cas-node", index is stale' }]);
    const again = await txn([{ Node: { Verb: 'cas', Node: { Node: 'cas-node', Address: '10.1.1.2', ModifyIndex: 0 } } }]);
    expect(again.body.Errors).toEqual([{ OpIndex: 0, What: 'failed to set node "cas-node", index is stale' }]);
    expect((await txn([{ Node: { Verb: 'delete-cas', Node: { Node: 'cas-node', ModifyIndex: index } } }])).status).toBe(200);
    const gone = await txn([{ Node: { Verb: 'get', Node: { Node: 'cas-node' } } }]);
    expect(gone.body.Errors).toEqual([{ OpIndex: 0, What: 'node "cas-node" doesn\'t exist' }]);
  });

  it('locks and unlocks keys, honouring sessions and lock-delay', async () => {
    const s1 = await createSession(api, { LockDelay: '5s' });
    const s2 = await createSession(api);
    const locked = await txn([kv('lock', 'tx/lock', { Session: s1, Value: b64('me') }), kv('check-session', 'tx/lock', { Session: s1 })]);
    expect(locked.body.Results![0].KV).toMatchObject({ Session: s1, LockIndex: 1 });
    const held = await txn([kv('lock', 'tx/lock', { Session: s2 })]);
    expect(held.body.Errors).toEqual([{ OpIndex: 0, What: 'failed to lock key "tx/lock", lock is already held' }]);
    await api.put(`/v1/session/destroy/${s1}`);
    const delayed = await txn([kv('lock', 'tx/lock', { Session: s2 })]);
    expect(delayed.body.Errors).toEqual([{ OpIndex: 0, What: 'failed to lock key "tx/lock" due to lock delay' }]);
    const noKey = await txn([kv('set', '', { Value: b64('x') })]);
    expect(noKey.body.Errors).toEqual([{ OpIndex: 0, What: 'Must provide key' }]);
  });
});
