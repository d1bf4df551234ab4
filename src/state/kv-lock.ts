import { WeftError } from '../lib/errors.js';
import type { Uint64 } from '../lib/uint64-json.js';
import { KV, kvSetTxn, type KVEntry } from './kv.js';
import { defineOp } from './op.js';
import { LOCK_DELAYS, SESSIONS } from './session.js';
import type { WriteTxn } from './txn.js';

/**
 * KV locks (Consul's kvsLockTxn / kvsUnlockTxn): `?acquire` and `?release`, and the txn
 * verbs lock, unlock and check-session. Lock-delay is enforced before the op is appended,
 * on the server's clock (see src/sessions/lock-delays.ts), exactly as Consul's leader does.
 */
export interface KVLockInput {
  Key: string;
  Value: Uint8Array | null;
  Flags: Uint64;
  Session: string;
}

export interface KVLockOp extends KVLockInput {
  type: 'kv.lock' | 'kv.unlock';
  [k: string]: unknown;
}

function requireSession(session: string): void {
  if (!session) throw new WeftError('INTERNAL', 'missing session');
}

/** Takes the lock for `Session` (or refreshes it when already held) and writes the value; false if another session holds it. */
export function kvLockTxn(tx: WriteTxn, entry: KVLockInput): boolean {
  requireSession(entry.Session);
  if (!tx.table(SESSIONS).has(entry.Session)) throw new WeftError('INTERNAL', `invalid session ${JSON.stringify(entry.Session)}`);
  const existing = tx.table<KVEntry>(KV).get(entry.Key);
  let lockIndex = 1;
  if (existing) {
    if (existing.Session && existing.Session !== entry.Session) return false;
    lockIndex = existing.Session === entry.Session ? existing.LockIndex : existing.LockIndex + 1;
  }
  kvSetTxn(tx, { Key: entry.Key, Flags: entry.Flags, Value: entry.Value, Session: entry.Session, LockIndex: lockIndex });
  // The delay was checked before this op was appended; a new holder ends it.
  tx.delete(LOCK_DELAYS, entry.Key);
  return true;
}

/** Releases the lock if `Session` holds it, writing the value; LockIndex is kept. */
export function kvUnlockTxn(tx: WriteTxn, entry: KVLockInput): boolean {
  requireSession(entry.Session);
  const existing = tx.table<KVEntry>(KV).get(entry.Key);
  if (!existing || existing.Session !== entry.Session) return false;
  kvSetTxn(tx, { Key: entry.Key, Flags: entry.Flags, Value: entry.Value, Session: undefined, LockIndex: existing.LockIndex });
  return true;
}

defineOp<KVLockOp>('kv.lock', (tx, op) => kvLockTxn(tx, op));
defineOp<KVLockOp>('kv.unlock', (tx, op) => kvUnlockTxn(tx, op));
