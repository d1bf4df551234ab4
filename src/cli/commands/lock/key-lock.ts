import type { ApiClient } from '../../../api/index.js';
import { uint64Equal } from '../../../lib/uint64-json.js';
import { deletePair, getPair, putPair } from '../kv/kv-api.js';
import { LockSession, retryable, sleep } from './session.js';

/** api.LockFlagValue (0x2ddccbc058a50c18): marks a key as a lock, so a semaphore on the same prefix is detected. */
export const LOCK_FLAG_VALUE = (0x2ddccbc058a50c18n).toString();
const WAIT = '15s';
const RETRY_MS = 5_000;
const MONITOR_RETRY_MS = 1_000;

export class LockConflict extends Error {}
export class LockInUse extends Error {}

export interface LockOptions {
  key: string;
  sessionName: string;
  /** With a value, one attempt that gives up after this many ms (`-timeout`). */
  tryOnceMs?: number;
  monitorRetries: number;
}

/** One holder at a time, Consul's api/lock.go algorithm, so `weft lock` and `consul lock` exclude each other. */
export class KeyLock {
  private session: LockSession | null = null;
  private watching: AbortController | null = null;

  constructor(
    private readonly client: ApiClient,
    private readonly opts: LockOptions,
  ) {}

  /** Resolves with a signal that aborts if the lock is lost, or null if `stop` fired or the attempt timed out. */
  async acquire(stop: AbortSignal): Promise<AbortSignal | null> {
    const session = await LockSession.create(this.client, this.opts.sessionName, 'release');
    let index = 0;
    const start = Date.now();
    let attempts = 0;
    try {
      for (;;) {
        if (stop.aborted) break;
        let wait = WAIT;
        if (this.opts.tryOnceMs !== undefined && attempts > 0) {
          const left = this.opts.tryOnceMs - (Date.now() - start);
          if (left <= 0) break;
          wait = `${left}ms`;
        }
        attempts++;
        const { pair, index: at } = await getPair(this.client, this.opts.key, { index, wait, signal: stop });
        if (pair && !uint64Equal(pair.Flags, LOCK_FLAG_VALUE)) throw new LockConflict('Existing key does not match lock use');
        if (pair?.Session) {
          index = at;
          continue;
        }
        const locked = await putPair(this.client, this.opts.key, '', { flags: LOCK_FLAG_VALUE, acquire: session.id });
        if (!locked) {
          // Most likely a lock-delay: do not hammer the server.
          if (!(await sleep(RETRY_MS, stop))) break;
          continue;
        }
        this.session = session;
        return this.monitor(session.id);
      }
    } catch (err) {
      if (!stop.aborted) {
        await session.destroy();
        throw err;
      }
    }
    await session.destroy();
    return null;
  }

  /** Watches the key while we hold it; the returned signal aborts once it is no longer ours. */
  private monitor(sessionId: string): AbortSignal {
    const lost = new AbortController();
    const watching = (this.watching = new AbortController());
    void (async () => {
      let index = 0;
      let retries = this.opts.monitorRetries;
      for (;;) {
        try {
          const { pair, index: at } = await getPair(this.client, this.opts.key, { index, wait: '5m', consistent: true, signal: watching.signal });
          retries = this.opts.monitorRetries;
          if (pair?.Session !== sessionId) break;
          index = at;
        } catch (err) {
          if (watching.signal.aborted || retries <= 0 || !retryable(err)) break;
          retries--;
          index = 0;
          await sleep(MONITOR_RETRY_MS, watching.signal);
        }
      }
    })().finally(() => lost.abort());
    return lost.signal;
  }

  /** Releases the lock (if it is still ours) and ends the session. */
  async release(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.watching?.abort();
    if (!session) return;
    try {
      await putPair(this.client, this.opts.key, '', { flags: LOCK_FLAG_VALUE, release: session.id });
    } finally {
      await session.destroy();
    }
  }

  /** Removes the lock key when nobody holds it; LockInUse when someone does. */
  async destroy(): Promise<void> {
    const { pair } = await getPair(this.client, this.opts.key);
    if (!pair) return;
    if (!uint64Equal(pair.Flags, LOCK_FLAG_VALUE)) throw new LockConflict('Existing key does not match lock use');
    if (pair.Session) throw new LockInUse('Lock in use');
    if (!(await deletePair(this.client, this.opts.key, { cas: pair.ModifyIndex }))) throw new LockInUse('Lock in use');
  }
}
