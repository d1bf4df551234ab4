import type { ApiClient } from '../../../api/index.js';
import { uint64Equal } from '../../../lib/uint64-json.js';
import { deletePair, getPair, putPair } from '../kv/kv-api.js';
import { SessionHolder, type HoldOptions, type KeyQuery, type Round } from './session-holder.js';

/** api.LockFlagValue (0x2ddccbc058a50c18): marks a key as a lock, so a semaphore on the same prefix is detected. */
export const LOCK_FLAG_VALUE = (0x2ddccbc058a50c18n).toString();
const RETRY_MS = 5_000;

export class LockConflict extends Error {}
export class LockInUse extends Error {}

export interface LockOptions extends HoldOptions {
  key: string;
}

/** One holder at a time, Consul's api/lock.go algorithm, so `weft lock` and `consul lock` exclude each other. */
export class KeyLock extends SessionHolder {
  constructor(
    client: ApiClient,
    private readonly opts: LockOptions,
  ) {
    super(client, opts, 'release');
  }

  protected async round(sessionId: string, query: KeyQuery): Promise<Round> {
    const { pair, index } = await getPair(this.client, this.opts.key, query);
    if (pair && !uint64Equal(pair.Flags, LOCK_FLAG_VALUE)) throw new LockConflict('Existing key does not match lock use');
    if (pair?.Session) return { kind: 'wait', index };
    const locked = await putPair(this.client, this.opts.key, '', { flags: LOCK_FLAG_VALUE, acquire: sessionId });
    // Most likely a lock-delay: do not hammer the server.
    return locked ? { kind: 'acquired' } : { kind: 'again', pauseMs: RETRY_MS };
  }

  protected async stillHeld(sessionId: string, query: KeyQuery): Promise<{ held: boolean; index: number }> {
    const { pair, index } = await getPair(this.client, this.opts.key, query);
    return { held: pair?.Session === sessionId, index };
  }

  protected async leave(sessionId: string): Promise<void> {
    await putPair(this.client, this.opts.key, '', { flags: LOCK_FLAG_VALUE, release: sessionId });
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
