import { WeftError } from '../lib/errors.js';
import type { Uint64 } from '../lib/uint64-json.js';
import { defineOp } from './op.js';
import type { StateStore } from './store.js';
import type { TableDef } from './table.js';
import type { WriteTxn } from './txn.js';
import type { WatchSet } from './watch.js';

export interface KVEntry {
  Key: string;
  /** uint64; values above 2^53 are kept as decimal strings (see lib/uint64-json). */
  Flags: Uint64;
  Value: Uint8Array | null;
  LockIndex: number;
  Session?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** Where a deleted key was last seen, so prefix reads report deletions in their index. */
export interface KVTombstone {
  Key: string;
  Index: number;
}

export const KV = 'kvs';
export const TOMBSTONES = 'tombstones';

export const kvTables: TableDef<any>[] = [
  {
    name: KV,
    primaryKey: (e: KVEntry) => e.Key,
    ordered: true,
    // Keys held by a session, so invalidating it finds its locks without a scan.
    indexes: [{ name: 'session', values: (e: KVEntry) => (e.Session ? [e.Session] : []) }],
  },
  { name: TOMBSTONES, primaryKey: (t: KVTombstone) => t.Key, ordered: true },
];

/** Topic of one exact key. */
export const kvKeyTopic = (key: string): string => `kv:${key}`;
/** Topic of everything under a prefix. */
export const kvPrefixTopic = (prefix: string): string => `kvp:${prefix}`;

export function touchKey(tx: WriteTxn, key: string): void {
  tx.touch(kvKeyTopic(key));
  for (let i = 0; i <= key.length; i++) tx.touch(kvPrefixTopic(key.slice(0, i)));
}

// ---- reads ------------------------------------------------------------------------------

export function kvGet(store: StateStore, ws: WatchSet | null, key: string): { index: number; entry?: KVEntry } {
  ws?.add(kvKeyTopic(key));
  const entry = store.table<KVEntry>(KV).get(key);
  if (entry) return { index: entry.ModifyIndex, entry };
  return { index: store.tableIndex(null, KV, TOMBSTONES) };
}

export function kvList(store: StateStore, ws: WatchSet | null, prefix: string): { index: number; entries: KVEntry[] } {
  ws?.add(kvPrefixTopic(prefix));
  const entries = [...store.table<KVEntry>(KV).withPrefix(prefix)];
  return { index: prefixIndex(store, prefix, entries), entries };
}

/** Keys under a prefix; with a separator, everything past the first separator after the prefix folds into one "folder/" key. */
export function kvKeys(
  store: StateStore,
  ws: WatchSet | null,
  prefix: string,
  separator: string,
  /** Keys the caller may see (ACLs): others are left out before folders are formed, as Consul filters entries first. */
  visible?: (key: string) => boolean,
): { index: number; keys: string[] } {
  ws?.add(kvPrefixTopic(prefix));
  const entries = [...store.table<KVEntry>(KV).withPrefix(prefix)];
  const keys: string[] = [];
  let lastFolder: string | null = null;
  for (const e of entries) {
    if (visible && !visible(e.Key)) continue;
    if (separator) {
      const at = e.Key.indexOf(separator, prefix.length);
      if (at >= 0) {
        const folder = e.Key.slice(0, at + separator.length);
        if (folder !== lastFolder) keys.push(folder);
        lastFolder = folder;
        continue;
      }
    }
    keys.push(e.Key);
  }
  return { index: prefixIndex(store, prefix, entries), keys };
}

function prefixIndex(store: StateStore, prefix: string, entries: KVEntry[]): number {
  if (prefix === '') return store.tableIndex(null, KV, TOMBSTONES);
  let max = 0;
  for (const e of entries) max = Math.max(max, e.ModifyIndex);
  for (const t of store.table<KVTombstone>(TOMBSTONES).withPrefix(prefix)) max = Math.max(max, t.Index);
  return max || store.tableIndex(null, KV, TOMBSTONES);
}

// ---- writes -----------------------------------------------------------------------------

export interface KVSetOp {
  type: 'kv.set';
  Key: string;
  Value: Uint8Array | null;
  Flags: Uint64;
  /** Check-and-set: 0 = only if absent; n = only if ModifyIndex is n. */
  Cas?: number;
  [k: string]: unknown;
}

export interface KVDeleteOp {
  type: 'kv.delete';
  Key: string;
  Recurse?: boolean;
  Cas?: number;
  [k: string]: unknown;
}

/** Writes one key inside a transaction; shared by the KV endpoint and /v1/txn. */
export function kvSetTxn(tx: WriteTxn, entry: Omit<KVEntry, 'CreateIndex' | 'ModifyIndex' | 'LockIndex'> & { LockIndex?: number }): KVEntry {
  const existing = tx.table<KVEntry>(KV).get(entry.Key);
  const row: KVEntry = {
    Key: entry.Key,
    Flags: entry.Flags,
    Value: entry.Value,
    LockIndex: entry.LockIndex ?? existing?.LockIndex ?? 0,
    CreateIndex: existing?.CreateIndex ?? tx.index,
    ModifyIndex: tx.index,
  };
  const session = 'Session' in entry ? entry.Session : existing?.Session;
  if (session) row.Session = session;
  tx.put(KV, row);
  tx.delete(TOMBSTONES, entry.Key);
  touchKey(tx, entry.Key);
  return row;
}

export function kvDeleteTxn(tx: WriteTxn, key: string): boolean {
  if (!tx.delete<KVEntry>(KV, key)) return false;
  tx.put<KVTombstone>(TOMBSTONES, { Key: key, Index: tx.index });
  touchKey(tx, key);
  return true;
}

export function kvDeleteTreeTxn(tx: WriteTxn, prefix: string): void {
  for (const e of [...tx.table<KVEntry>(KV).withPrefix(prefix)]) kvDeleteTxn(tx, e.Key);
}

defineOp<KVSetOp>('kv.set', (tx, op) => {
  if (op.Cas !== undefined && !kvCasAllowed(tx, op.Key, op.Cas)) return false;
  kvSetTxn(tx, { Key: op.Key, Value: op.Value, Flags: op.Flags });
  return true;
});

defineOp<KVDeleteOp>('kv.delete', (tx, op) => {
  if (op.Recurse) {
    kvDeleteTreeTxn(tx, op.Key);
    return true;
  }
  if (op.Cas !== undefined) return kvDeleteCasTxn(tx, op.Key, op.Cas);
  kvDeleteTxn(tx, op.Key);
  return true;
});

/** Deletes a key only if its ModifyIndex is `cas`; a key that is already gone counts as deleted, as in Consul. */
export function kvDeleteCasTxn(tx: WriteTxn, key: string, cas: number): boolean {
  const existing = tx.table<KVEntry>(KV).get(key);
  if (!existing) return true;
  if (existing.ModifyIndex !== cas) return false;
  kvDeleteTxn(tx, key);
  return true;
}

/** Check-and-set: 0 = only if absent; n = only if the key exists with ModifyIndex n. */
export function kvCasAllowed(tx: WriteTxn, key: string, cas: number): boolean {
  const existing = tx.table<KVEntry>(KV).get(key);
  return cas === 0 ? existing === undefined : existing?.ModifyIndex === cas;
}

export function assertValidKey(key: string): void {
  if (key.includes('\n')) throw new WeftError('BAD_REQUEST', 'Invalid key name, newline not allowed');
}
