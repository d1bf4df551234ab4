import type { ApiClient } from '../../../api/index.js';
import { uint64Equal } from '../../../lib/uint64-json.js';
import { deletePair, getPair, listPairs, putPair, valueBytes, type KVPair } from '../kv/kv-api.js';
import { LockConflict, LockInUse, type LockOptions } from './key-lock.js';
import { LockSession, retryable, sleep } from './session.js';

/** api.SemaphoreFlagValue (0xe0f69a2baa414de0). */
export const SEMAPHORE_FLAG_VALUE = (0xe0f69a2baa414de0n).toString();
/** The coordination key inside the prefix; a plain lock uses the same name, so the two conflict visibly. */
export const SEMAPHORE_KEY = '.lock';
const WAIT = '15s';
const MONITOR_RETRY_MS = 1_000;

interface Holders {
  Limit: number;
  Holders: Record<string, boolean>;
}

export interface SemaphoreOptions extends Omit<LockOptions, 'key'> {
  prefix: string;
  limit: number;
}

/**
 * Up to `limit` holders, Consul's api/semaphore.go algorithm: each contender holds a key
 * `<prefix>/<session>` with its session, and `<prefix>/.lock` lists the holders; a holder
 * whose contender key is gone (its session died) is pruned by the next contender.
 */
export class Semaphore {
  private session: LockSession | null = null;
  private watching: AbortController | null = null;

  constructor(
    private readonly client: ApiClient,
    private readonly opts: SemaphoreOptions,
  ) {}

  private get lockKey(): string {
    return `${this.opts.prefix}/${SEMAPHORE_KEY}`;
  }

  private findLock(pairs: KVPair[]): KVPair {
    return pairs.find((p) => p.Key === this.lockKey) ?? { Key: this.lockKey, Flags: SEMAPHORE_FLAG_VALUE, Value: null, LockIndex: 0, CreateIndex: 0, ModifyIndex: 0 };
  }

  private decode(pair: KVPair): Holders {
    if (!pair.Value) return { Limit: this.opts.limit, Holders: {} };
    try {
      const h = JSON.parse(valueBytes(pair).toString('utf8')) as Holders;
      return { Limit: h.Limit, Holders: { ...(h.Holders ?? {}) } };
    } catch (err) {
      throw new Error(`lock decoding failed: ${(err as Error).message}`);
    }
  }

  private static encode(h: Holders): string {
    const holders = Object.fromEntries(Object.keys(h.Holders).sort().map((k) => [k, true]));
    return JSON.stringify({ Limit: h.Limit, Holders: holders });
  }

  private static prune(h: Holders, pairs: KVPair[]): void {
    const alive = new Set(pairs.map((p) => p.Session).filter(Boolean));
    for (const id of Object.keys(h.Holders)) if (!alive.has(id)) delete h.Holders[id];
  }

  async acquire(stop: AbortSignal): Promise<AbortSignal | null> {
    const session = await LockSession.create(this.client, this.opts.sessionName, 'delete');
    try {
      const contender = `${this.opts.prefix}/${session.id}`;
      if (!(await putPair(this.client, contender, '', { flags: SEMAPHORE_FLAG_VALUE, acquire: session.id }))) {
        throw new Error('failed to make contender entry');
      }
      let index = 0;
      const start = Date.now();
      let attempts = 0;
      for (;;) {
        if (stop.aborted) break;
        let wait = WAIT;
        if (this.opts.tryOnceMs !== undefined && attempts > 0) {
          const left = this.opts.tryOnceMs - (Date.now() - start);
          if (left <= 0) break;
          wait = `${left}ms`;
        }
        attempts++;
        const { pairs, index: at } = await listPairs(this.client, this.opts.prefix, { index, wait, signal: stop });
        const lockPair = this.findLock(pairs);
        if (!uint64Equal(lockPair.Flags, SEMAPHORE_FLAG_VALUE)) throw new LockConflict('Existing key does not match semaphore use');
        const lock = this.decode(lockPair);
        if (lock.Limit !== this.opts.limit) throw new Error(`semaphore limit conflict (lock: ${lock.Limit}, local: ${this.opts.limit})`);
        Semaphore.prune(lock, pairs);
        if (Object.keys(lock.Holders).length >= lock.Limit) {
          index = at;
          continue;
        }
        lock.Holders[session.id] = true;
        const set = await putPair(this.client, this.lockKey, Semaphore.encode(lock), { flags: SEMAPHORE_FLAG_VALUE, cas: lockPair.ModifyIndex });
        // Losing the race to another contender just means reading again.
        if (!set) continue;
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

  private monitor(sessionId: string): AbortSignal {
    const lost = new AbortController();
    const watching = (this.watching = new AbortController());
    void (async () => {
      let index = 0;
      let retries = this.opts.monitorRetries;
      for (;;) {
        try {
          const { pairs, index: at } = await listPairs(this.client, this.opts.prefix, { index, wait: '5m', consistent: true, signal: watching.signal });
          retries = this.opts.monitorRetries;
          const lock = this.decode(this.findLock(pairs));
          Semaphore.prune(lock, pairs);
          if (!lock.Holders[sessionId]) break;
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

  /** Gives up our slot (retrying the check-and-set as others move), removes our contender key, ends the session. */
  async release(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.watching?.abort();
    if (!session) return;
    try {
      for (;;) {
        const { pair } = await getPair(this.client, this.lockKey);
        const lock = pair ? this.decode(pair) : { Limit: this.opts.limit, Holders: {} };
        if (!lock.Holders[session.id]) break;
        delete lock.Holders[session.id];
        if (await putPair(this.client, this.lockKey, Semaphore.encode(lock), { flags: SEMAPHORE_FLAG_VALUE, cas: pair?.ModifyIndex ?? 0 })) break;
      }
      await deletePair(this.client, `${this.opts.prefix}/${session.id}`);
    } finally {
      await session.destroy();
    }
  }

  /** Removes the coordination key when no live holder remains; LockInUse otherwise. */
  async destroy(): Promise<void> {
    const { pairs } = await listPairs(this.client, this.opts.prefix);
    const lockPair = this.findLock(pairs);
    if (lockPair.ModifyIndex === 0) return;
    if (!uint64Equal(lockPair.Flags, SEMAPHORE_FLAG_VALUE)) throw new LockConflict('Existing key does not match semaphore use');
    const lock = this.decode(lockPair);
    Semaphore.prune(lock, pairs);
    if (Object.keys(lock.Holders).length > 0) throw new LockInUse('Semaphore in use');
    if (!(await deletePair(this.client, this.lockKey, { cas: lockPair.ModifyIndex }))) throw new LockInUse('Semaphore in use');
  }
}
