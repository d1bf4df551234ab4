import { describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, allTables, type SessionInput } from '../state/index.js';
import { LockDelays } from './lock-delays.js';
import { SessionTimers } from './ttl-timers.js';
import pino from 'pino';

const session = (id: string, over: Partial<SessionInput> = {}): SessionInput => ({
  ID: id,
  Name: '',
  Node: 'n1',
  LockDelay: 10e9,
  Behavior: 'release',
  TTL: '',
  NodeChecks: [],
  ServiceChecks: [],
  ...over,
});

async function store() {
  const s = new StateStore(new MemoryBackend(), allTables);
  await s.open();
  await s.apply({ type: 'catalog.register', Node: { ID: '', Node: 'n1', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} } });
  return s;
}

describe('lock-delays', () => {
  it('start when the invalidation is applied and end after the session’s delay, on this server’s clock', async () => {
    const s = await store();
    let now = 1_000_000;
    const delays = new LockDelays(s, () => now);
    await s.apply({ type: 'session.create', Session: session('a') });
    await s.apply({ type: 'kv.lock', Key: 'k', Value: null, Flags: 0, Session: 'a' });
    expect(delays.remaining('k')).toBe(0);
    await s.apply({ type: 'session.destroy', ID: 'a' });
    expect(delays.remaining('k')).toBe(10_000);
    now += 9_999;
    expect(delays.remaining('k')).toBe(1);
    now += 1;
    expect(delays.remaining('k')).toBe(0);
    delays.stop();
  });

  it('give records found at start-up a full delay from then', async () => {
    const s = await store();
    await s.apply({ type: 'session.create', Session: session('a', { LockDelay: 2e9 }) });
    await s.apply({ type: 'kv.lock', Key: 'k', Value: null, Flags: 0, Session: 'a' });
    await s.apply({ type: 'session.destroy', ID: 'a' });
    const delays = new LockDelays(s, () => 5);
    expect(delays.remaining('k')).toBe(2_000);
    delays.stop();
  });
});

describe('session TTL timers', () => {
  it('arm only sessions with a TTL and drop timers of sessions invalidated otherwise', async () => {
    const s = await store();
    await s.apply({ type: 'session.create', Session: session('ttl', { TTL: '10s' }) });
    await s.apply({ type: 'session.create', Session: session('none') });
    const timers = new SessionTimers(s, () => true, pino({ level: 'silent' }));
    expect(timers.size).toBe(1);
    await s.apply({ type: 'session.destroy', ID: 'ttl' });
    expect(timers.size).toBe(0);
    timers.stop();
  });
});
