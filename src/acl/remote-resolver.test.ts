import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { WeftError } from '../lib/errors.js';
import type { AclSettings } from './config.js';
import { PolicyAuthorizer } from './policy-authorizer.js';
import { RemoteTokenResolver } from './remote-resolver.js';
import type { ResolvedToken } from './resolver.js';

const log = pino({ level: 'silent' });

/** A server that knows one secret and can be taken down. */
function fakeServer() {
  const state = { up: true, calls: 0, rules: 'read' as 'read' | 'write' };
  const fetch = async (secret: string): Promise<ResolvedToken | null> => {
    state.calls++;
    // A real server answers a turn of the event loop later at the earliest.
    await new Promise((resolve) => setImmediate(resolve));
    if (!state.up) throw new WeftError('UNAVAILABLE', 'no answer from 127.0.0.1:8300');
    if (secret !== 'known') return null;
    return {
      accessorId: 'acc-1',
      anonymous: false,
      authorizer: PolicyAuthorizer.compile([{ segments: [{ kind: 'key', name: '', prefix: true, policy: state.rules }], global: {} }]),
    };
  };
  return { state, fetch };
}

function resolver(downPolicy: AclSettings['downPolicy'], clock: { now: number }) {
  const server = fakeServer();
  const r = new RemoteTokenResolver({ fetch: server.fetch, ttlMs: 30_000, downPolicy, log, now: () => clock.now });
  return { r, server };
}

const writes = (t: ResolvedToken | undefined) => t?.authorizer.decide('key', 'k', 'write');

describe('RemoteTokenResolver', () => {
  it('asks the server once per token_ttl, and says when a secret does not exist', async () => {
    const clock = { now: 0 };
    const { r, server } = resolver('extend-cache', clock);
    await r.prepare('known');
    await r.prepare('known');
    expect(server.state.calls).toBe(1);
    expect(r.resolve('known')?.accessorId).toBe('acc-1');
    server.state.rules = 'write';
    clock.now = 30_000;
    await r.prepare('known');
    expect(server.state.calls).toBe(2);
    expect(writes(r.resolve('known'))).toBe('allow');
    await r.prepare('stranger');
    expect(r.resolve('stranger')).toBeUndefined();
  });

  it('asks once for concurrent requests with the same token', async () => {
    const { r, server } = resolver('extend-cache', { now: 0 });
    await Promise.all([r.prepare('known'), r.prepare('known'), r.prepare('known')]);
    expect(server.state.calls).toBe(1);
  });

  it('extend-cache: keeps the last answer while the server is down, and denies tokens it never saw', async () => {
    const clock = { now: 0 };
    const { r, server } = resolver('extend-cache', clock);
    await r.prepare('known');
    server.state.up = false;
    clock.now = 60_000;
    await r.prepare('known');
    expect(r.resolve('known')?.accessorId).toBe('acc-1');
    await r.prepare('new');
    const down = r.resolve('new');
    expect(down?.accessorId).toBe('primary-dc-down');
    expect(down?.authorizer.decide('key', 'k', 'read')).toBe('deny');
    // Once the server answers again, the token is asked for anew.
    server.state.up = true;
    await r.prepare('new');
    expect(r.resolve('new')).toBeUndefined();
  });

  it('allow and deny answer for every token while the server is down', async () => {
    for (const [policy, decision] of [['allow', 'allow'], ['deny', 'deny']] as const) {
      const clock = { now: 0 };
      const { r, server } = resolver(policy, clock);
      await r.prepare('known');
      server.state.up = false;
      clock.now = 60_000;
      await r.prepare('known');
      expect([policy, r.resolve('known')?.accessorId, writes(r.resolve('known'))]).toEqual([policy, 'primary-dc-down', decision]);
    }
  });

  it('async-cache: answers with the expired token at once and refreshes it in the background', async () => {
    const clock = { now: 0 };
    const { r, server } = resolver('async-cache', clock);
    await r.prepare('known');
    server.state.rules = 'write';
    clock.now = 60_000;
    await r.prepare('known');
    // Not waited for: the old answer still stands ...
    expect(writes(r.resolve('known'))).toBe('deny');
    expect(server.state.calls).toBe(2);
    // ... until the background refresh lands (the fake server answers on the next turn).
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes(r.resolve('known'))).toBe('allow');
  });
});
