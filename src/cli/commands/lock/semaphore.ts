import type { ApiClient } from '../../../api/index.js';
import { uint64Equal } from '../../../lib/uint64-json.js';
import { deletePair, getPair, listPairs, putPair, valueBytes, type KVPair } from '../kv/kv-api.js';
import { LockConflict, LockInUse } from './key-lock.js';
import { SessionHolder, type HoldOptions, type KeyQuery, type Round } from './session-holder.js';

/** api.SemaphoreFlagValue (0xe0f69a2baa414de0). */
export const SEMAPHORE_FLAG_VALUE = (0xe0f69a2baa414de0n).toString();
/** The coordination key inside the prefix; a plain lock uses the same name, so the two conflict visibly. */
export const SEMAPHORE_KEY = '.lock';

interface Holders {
  Limit: number;
  Holders: Record<string, boolean>;
}

export interface SemaphoreOptions extends HoldOptions {
  prefix: string;
  limit: number;
}

/**
 * Up to `limit` holders, Consul's api/semaphore.go algorithm: each contender holds a key
 * `<prefix>/<session>` with its session, and `<prefix>/.lock` lists the holders; a holder
 * whose contender key is gone (its session died) is pruned by the next contender.
 */
export class Semaphore extends SessionHolder {
  constructor(
    client: ApiClient,
    private readonly opts: SemaphoreOptions,
  ) {
    super(client, opts, 'delete');
  }

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

  /** Each contender holds its own key under the prefix, so a holder whose session dies can be pruned. */
  protected override async enter(sessionId: string): Promise<void> {
    if (!(await putPair(this.client, `${this.opts.prefix}/${sessionId}`, '', { flags: SEMAPHORE_FLAG_VALUE, acquire: sessionId }))) {
      throw new Error('failed to make contender entry');
    }
  }

  protected async round(sessionId: string, query: KeyQuery): Promise<Round> {
    const { pairs, index } = await listPairs(this.client, this.opts.prefix, query);
    const lockPair = this.findLock(pairs);
    if (!uint64Equal(lockPair.Flags, SEMAPHORE_FLAG_VALUE)) throw new LockConflict('Existing key does not match semaphore use');
    const lock = this.decode(lockPair);
    if (lock.Limit !== this.opts.limit) throw new Error(`semaphore limit conflict (lock: ${lock.Limit}, local: ${this.opts.limit})`);
    Semaphore.prune(lock, pairs);
    if (Object.keys(lock.Holders).length >= lock.Limit) return { kind: 'wait', index };
    lock.Holders[sessionId] = true;
    const set = await putPair(this.client, this.lockKey, Semaphore.encode(lock), { flags: SEMAPHORE_FLAG_VALUE, cas: lockPair.ModifyIndex });
    // Losing the race to another contender just means reading again.
    return set ? { kind: 'acquired' } : { kind: 'again' };
  }

  protected async stillHeld(sessionId: string, query: KeyQuery): Promise<{ held: boolean; index: number }> {
    const { pairs, index } = await listPairs(this.client, this.opts.prefix, query);
    const lock = this.decode(this.findLock(pairs));
    Semaphore.prune(lock, pairs);
    return { held: Boolean(lock.Holders[sessionId]), index };
  }

  /** Gives up our slot (retrying the check-and-set as others move) and removes our contender key. */
  protected async leave(sessionId: string): Promise<void> {
    for (;;) {
      const { pair } = await getPair(this.client, this.lockKey);
      const lock = pair ? this.decode(pair) : { Limit: this.opts.limit, Holders: {} };
      if (!lock.Holders[sessionId]) break;
      delete lock.Holders[sessionId];
      if (await putPair(this.client, this.lockKey, Semaphore.encode(lock), { flags: SEMAPHORE_FLAG_VALUE, cas: pair?.ModifyIndex ?? 0 })) break;
    }
    await deletePair(this.client, `${this.opts.prefix}/${sessionId}`);
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
