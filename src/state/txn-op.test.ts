import { describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, allTables, kvGet, kvList, getNode, txnRead, type TxnOp, type TxnOutcome } from './index.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s));
const kv = (Verb: string, Key: string, extra: Partial<{ Value: Uint8Array | null; Index: number; Session: string }> = {}): TxnOp => ({
  KV: { Verb, Key, Value: null, Flags: 0, Index: 0, Session: '', ...extra },
});
const nodeOp = (Verb: string, name: string, ModifyIndex = 0): TxnOp => ({
  Node: { Verb, Node: { ID: '', Node: name, Address: '10.1.1.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {}, ModifyIndex } },
});

async function store() {
  const s = new StateStore(new MemoryBackend(), allTables);
  await s.open();
  return s;
}
const txn = (s: StateStore, ops: TxnOp[]) => s.apply<TxnOutcome>({ type: 'txn.apply', Ops: ops });

describe('txn.apply', () => {
  it('applies every op in one log entry and returns results without values for writes', async () => {
    const s = await store();
    const out = await txn(s, [kv('set', 'a', { Value: bytes('1') }), kv('set', 'b', { Value: bytes('2') }), kv('get', 'a'), nodeOp('set', 'web-1')]);
    expect(out.Errors).toBeNull();
    expect(out.Results!.map((r) => r.KV?.Key ?? r.Node?.Node)).toEqual(['a', 'b', 'a', 'web-1']);
    expect(out.Results![0].KV!.Value).toBeNull();
    expect(Buffer.from(out.Results![2].KV!.Value!).toString()).toBe('1');
    const a = kvGet(s, null, 'a').entry!;
    expect(kvGet(s, null, 'b').entry!.ModifyIndex).toBe(a.ModifyIndex);
    expect(getNode(s, null, 'web-1').node!.ModifyIndex).toBe(a.ModifyIndex);
  });

  it('changes nothing when one op fails, and reports every failure with its index', async () => {
    const s = await store();
    await s.apply({ type: 'kv.set', Key: 'keep', Value: bytes('old'), Flags: 0 });
    const before = kvGet(s, null, 'keep').entry!;
    const out = await txn(s, [
      kv('set', 'keep', { Value: bytes('new') }),
      kv('delete', 'keep'),
      kv('cas', 'other', { Index: 99, Value: bytes('x') }),
      nodeOp('set', 'n2'),
      kv('check-not-exists', 'nothing-here'),
      kv('get', 'missing'),
    ]);
    expect(out).toEqual({
      Results: null,
      Errors: [
        { OpIndex: 2, What: 'failed to set key "other", index is stale' },
        { OpIndex: 5, What: 'key "missing" doesn\'t exist' },
      ],
    });
    expect(kvGet(s, null, 'keep').entry).toEqual(before);
    expect(kvList(s, null, '').entries.map((e) => e.Key)).toEqual(['keep']);
    expect(getNode(s, null, 'n2').node).toBeUndefined();
  });

  it('supports cas, delete-cas, check-index and get-tree', async () => {
    const s = await store();
    await txn(s, [kv('cas', 'p/a', { Index: 0, Value: bytes('1') }), kv('set', 'p/b', { Value: bytes('2') })]);
    const idx = kvGet(s, null, 'p/a').entry!.ModifyIndex;
    const out = await txn(s, [kv('check-index', 'p/a', { Index: idx }), kv('get-tree', 'p/'), kv('delete-cas', 'p/b', { Index: idx })]);
    expect(out.Errors).toBeNull();
    expect(out.Results!.map((r) => r.KV!.Key)).toEqual(['p/a', 'p/a', 'p/b']);
    expect(kvGet(s, null, 'p/b').entry).toBeUndefined();
    const stale = await txn(s, [kv('check-index', 'p/a', { Index: idx + 100 })]);
    expect(stale.Errors![0].What).toBe(`failed index check for key "p/a", current modify index ${idx} != ${idx + 100}`);
  });

  it('reports catalog refusals as op errors', async () => {
    const s = await store();
    const out = await txn(s, [
      { Service: { Verb: 'set', Node: 'nowhere', Service: { Kind: '', ID: 'web', Service: 'web', Tags: [], Address: '', TaggedAddresses: {}, Meta: {}, Port: 80, SocketPath: '', Weights: { Passing: 1, Warning: 1 }, EnableTagOverride: false, Proxy: { MeshGateway: {}, Expose: {} }, Connect: {}, ModifyIndex: 0 } } },
      nodeOp('delete-cas', 'nowhere', 5),
    ]);
    expect(out.Errors).toEqual([
      { OpIndex: 0, What: 'Missing node registration' },
      { OpIndex: 1, What: 'failed to delete node "nowhere", index is stale' },
    ]);
  });

  it('answers read-only transactions from memory', async () => {
    const s = await store();
    await s.apply({ type: 'kv.set', Key: 'r', Value: bytes('v'), Flags: 0 });
    const index = s.index;
    const out = txnRead(s, [kv('get', 'r'), kv('get-or-empty', 'none')]);
    expect(out.Results!.map((r) => r.KV!.Key)).toEqual(['r', 'none']);
    expect(s.index).toBe(index);
  });
});
