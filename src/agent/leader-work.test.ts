import { EventEmitter } from 'node:events';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../http/index.js';
import { sessionRuntime, stopSessionRuntime } from '../sessions/index.js';
import { MemoryBackend, StateStore, allTables, type SessionInput } from '../state/index.js';
import type { EtcdBackend } from '../state/backend/etcd.js';
import { LeaderWork } from './leader-work.js';
import type { Leadership } from './leadership.js';

const log = pino({ level: 'silent' });
const session = (ID: string, TTL: string): SessionInput => ({ ID, Name: '', Node: 'n1', LockDelay: 0, Behavior: 'release', TTL, NodeChecks: [], ServiceChecks: [] });

/** The election as leader work sees it: events and a current answer. */
class Election extends EventEmitter {
  leading = false;
  isLeader(): boolean {
    return this.leading;
  }
  set(leading: boolean): void {
    this.leading = leading;
    this.emit(leading ? 'leader' : 'follower');
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function setup() {
  const store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  await store.apply({ type: 'catalog.register', Node: { ID: '', Node: 'n1', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} } });
  const election = new Election();
  const config = { connect: { enabled: false }, store: { snapshotInterval: '1h', snapshotThreshold: 16384 } };
  const ctx = { store, log, agent: { config, isLeader: () => election.isLeader() } } as unknown as ApiContext;
  const backend = { entriesSinceSnapshot: 0 } as unknown as EtcdBackend;
  const work = new LeaderWork({ ctx, leadership: election as unknown as Leadership, backend, log });
  const timers = sessionRuntime(store, () => election.isLeader(), log).timers;
  cleanups.push(() => {
    work.stop();
    stopSessionRuntime(store);
  });
  return { store, election, work, timers };
}

describe('leader-only work', () => {
  it('arms every TTL session at takeover, and sessions created through other servers as they appear', async () => {
    const { store, election, work, timers } = await setup();
    // Created through other servers: this one has no timers for them.
    await store.apply({ type: 'session.create', Session: session('ttl-before', '10s') });
    await store.apply({ type: 'session.create', Session: session('no-ttl', '') });
    timers.clear('ttl-before');
    work.start();
    expect(timers.size).toBe(0);
    election.set(true);
    expect(timers.size).toBe(1);
    await store.apply({ type: 'session.create', Session: session('ttl-after', '15s') });
    expect(timers.size).toBe(2);
    election.set(false);
    await store.apply({ type: 'session.create', Session: session('while-follower', '15s') });
    expect(timers.size).toBe(2);
  });
});
