import { describe, expect, it } from 'vitest';
import {
  MemoryBackend,
  StateStore,
  WatchSet,
  allTables,
  kvGet,
  nodeSessions,
  sessionGet,
  tableTopic,
  LOCK_DELAYS,
  type CheckInput,
  type LockDelayRow,
  type SessionInput,
} from './index.js';

const node = (name: string) => ({ ID: '', Node: name, Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} });
const check = (id: string, status: 'passing' | 'critical'): CheckInput => ({
  CheckID: id,
  Name: id,
  Status: status,
  Notes: '',
  Output: '',
  ServiceID: '',
  Type: '',
  Interval: '',
  Timeout: '',
  ExposedPort: 0,
  Definition: {},
});
const session = (id: string, over: Partial<SessionInput> = {}): SessionInput => ({
  ID: id,
  Name: '',
  Node: 'n1',
  LockDelay: 15e9,
  Behavior: 'release',
  TTL: '',
  NodeChecks: ['serfHealth'],
  ServiceChecks: [],
  ...over,
});
const bytes = (s: string) => new Uint8Array(Buffer.from(s));

async function store() {
  const s = new StateStore(new MemoryBackend(), allTables);
  await s.open();
  await s.apply({ type: 'catalog.register', Node: node('n1'), Checks: [check('serfHealth', 'passing'), check('disk', 'passing')] });
  return s;
}

const lock = (s: StateStore, key: string, sid: string, value = 'v') =>
  s.apply<boolean>({ type: 'kv.lock', Key: key, Value: bytes(value), Flags: 0, Session: sid });

describe('sessions', () => {
  it('refuse a missing node, a missing check and a critical check, writing nothing', async () => {
    const s = await store();
    await expect(s.apply({ type: 'session.create', Session: session('a', { Node: 'ghost' }) })).rejects.toThrow('Missing node registration');
    await expect(s.apply({ type: 'session.create', Session: session('a', { NodeChecks: ['nope'] }) })).rejects.toThrow("Missing check 'nope' registration");
    await s.apply({ type: 'catalog.register', Node: node('n1'), Checks: [check('disk', 'critical')] });
    await expect(s.apply({ type: 'session.create', Session: session('a', { NodeChecks: ['disk'] }) })).rejects.toThrow("Check 'disk' is in critical state");
    expect(sessionGet(s, null, 'a').session).toBeUndefined();
  });

  it('lock a key once per holder, count acquisitions in LockIndex, and let the holder refresh it', async () => {
    const s = await store();
    await s.apply({ type: 'session.create', Session: session('a') });
    await s.apply({ type: 'session.create', Session: session('b') });
    expect(await lock(s, 'k', 'a', '1')).toBe(true);
    expect(await lock(s, 'k', 'b')).toBe(false);
    expect(await lock(s, 'k', 'a', '2')).toBe(true);
    const held = kvGet(s, null, 'k').entry!;
    expect(held).toMatchObject({ Session: 'a', LockIndex: 1 });
    expect(Buffer.from(held.Value!).toString()).toBe('2');
    expect(await s.apply({ type: 'kv.unlock', Key: 'k', Value: bytes('3'), Flags: 0, Session: 'b' })).toBe(false);
    expect(await s.apply({ type: 'kv.unlock', Key: 'k', Value: bytes('3'), Flags: 0, Session: 'a' })).toBe(true);
    expect(kvGet(s, null, 'k').entry).toMatchObject({ LockIndex: 1 });
    expect(kvGet(s, null, 'k').entry!.Session).toBeUndefined();
    expect(await lock(s, 'k', 'b')).toBe(true);
    expect(kvGet(s, null, 'k').entry).toMatchObject({ Session: 'b', LockIndex: 2 });
    await expect(lock(s, 'k', 'nope')).rejects.toThrow('invalid session "nope"');
  });

  it('release their keys and record a lock-delay when destroyed', async () => {
    const s = await store();
    await s.apply({ type: 'session.create', Session: session('a', { LockDelay: 120e9 }) });
    await lock(s, 'x', 'a');
    await s.apply({ type: 'session.destroy', ID: 'a' });
    expect(kvGet(s, null, 'x').entry!.Session).toBeUndefined();
    // Consul caps lock-delay at 60s.
    expect(s.table<LockDelayRow>(LOCK_DELAYS).get('x')).toMatchObject({ DelayMs: 60_000 });
    // Destroying again is a no-op.
    await s.apply({ type: 'session.destroy', ID: 'a' });
  });

  it('with behavior delete, delete their keys', async () => {
    const s = await store();
    await s.apply({ type: 'session.create', Session: session('a', { Behavior: 'delete', LockDelay: 0 }) });
    await lock(s, 'leader', 'a');
    await s.apply({ type: 'session.destroy', ID: 'a' });
    expect(kvGet(s, null, 'leader').entry).toBeUndefined();
    expect(s.table(LOCK_DELAYS).get('leader')).toBeUndefined();
  });

  it('die when one of their checks turns critical or is deleted, and when their node goes', async () => {
    const s = await store();
    await s.apply({ type: 'session.create', Session: session('on-serf') });
    await s.apply({ type: 'session.create', Session: session('on-disk', { NodeChecks: ['disk'] }) });
    await s.apply({ type: 'session.create', Session: session('no-checks', { NodeChecks: [] }) });
    await lock(s, 'held-by-disk', 'on-disk');
    const ws = new WatchSet();
    nodeSessions(s, ws, 'n1');
    expect(ws.topics.has(tableTopic('sessions'))).toBe(true);

    await s.apply({ type: 'catalog.register', Node: node('n1'), Checks: [check('disk', 'critical')] });
    expect(sessionGet(s, null, 'on-disk').session).toBeUndefined();
    expect(kvGet(s, null, 'held-by-disk').entry!.Session).toBeUndefined();
    expect(sessionGet(s, null, 'on-serf').session).toBeDefined();

    await s.apply({ type: 'catalog.deregister', Node: 'n1', CheckID: 'serfHealth' });
    expect(sessionGet(s, null, 'on-serf').session).toBeUndefined();
    expect(nodeSessions(s, null, 'N1').sessions.map((x) => x.ID)).toEqual(['no-checks']);

    await s.apply({ type: 'catalog.deregister', Node: 'n1' });
    expect(nodeSessions(s, null, 'n1').sessions).toEqual([]);
  });
});
