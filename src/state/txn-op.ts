import { isWeftError } from '../lib/errors.js';
import type { Uint64 } from '../lib/uint64-json.js';
import { KV, kvCasAllowed, kvDeleteCasTxn, kvDeleteTreeTxn, kvDeleteTxn, kvSetTxn, type KVEntry } from './kv.js';
import { kvLockTxn, kvUnlockTxn } from './kv-lock.js';
import { defineOp } from './op.js';
import type { StateStore } from './store.js';
import type { Table } from './table.js';
import type { WriteTxn } from './txn.js';
import { TxnOpFailed, failOp as fail, txnCatalogOp, type TxnCheckOp, type TxnNodeOp, type TxnServiceOp } from './txn-catalog.js';
import type { CheckRow, NodeRow, ServiceRow } from './catalog/index.js';

/**
 * /v1/txn (Consul's agent/consul/state/txn.go): a list of KV and catalog operations applied
 * in ONE log entry, all or nothing. Every op runs (so every failure is reported, with its
 * index); if any failed, everything the entry changed is rolled back.
 */
export type KVVerb =
  | 'set'
  | 'cas'
  | 'lock'
  | 'unlock'
  | 'get'
  | 'get-or-empty'
  | 'get-tree'
  | 'check-index'
  | 'check-session'
  | 'check-not-exists'
  | 'delete'
  | 'delete-tree'
  | 'delete-cas';

export const KV_WRITE_VERBS: ReadonlySet<string> = new Set(['set', 'cas', 'lock', 'unlock', 'delete', 'delete-tree', 'delete-cas']);

export interface TxnKVOp {
  KV: { Verb: string; Key: string; Value: Uint8Array | null; Flags: Uint64; Index: number; Session: string };
}

export type TxnOp = TxnKVOp | TxnNodeOp | TxnServiceOp | TxnCheckOp;

export interface TxnResult {
  KV?: KVEntry;
  Node?: NodeRow;
  Service?: ServiceRow;
  Check?: CheckRow;
}

export interface TxnError {
  OpIndex: number;
  What: string;
}

export interface TxnOutcome {
  Results: TxnResult[] | null;
  Errors: TxnError[] | null;
}

export interface TxnApplyOp {
  type: 'txn.apply';
  Ops: TxnOp[];
  [k: string]: unknown;
}

/** What read verbs need: tables. A WriteTxn has them, and so has the store for read-only transactions. */
export interface TableView {
  table<R>(name: string): Table<R>;
}

const q = (s: string): string => JSON.stringify(s);

function kvRead(view: TableView, op: TxnKVOp['KV']): TxnResult[] {
  const kvs = view.table<KVEntry>(KV);
  const entry = kvs.get(op.Key);
  switch (op.Verb) {
    case 'get':
      return entry ? [{ KV: entry }] : fail(`key ${q(op.Key)} doesn't exist`);
    case 'get-or-empty':
      return [{ KV: entry ?? { Key: op.Key, Flags: op.Flags, Value: null, LockIndex: 0, CreateIndex: 0, ModifyIndex: 0 } }];
    case 'get-tree':
      return [...kvs.withPrefix(op.Key)].map((e) => ({ KV: e }));
    case 'check-index':
      if (!entry) return fail(`failed to check index, key ${q(op.Key)} doesn't exist`);
      if (entry.ModifyIndex !== op.Index) fail(`failed index check for key ${q(op.Key)}, current modify index ${entry.ModifyIndex} != ${op.Index}`);
      return [{ KV: { ...entry, Value: null } }];
    case 'check-session':
      if (!entry) return fail(`failed to check session, key ${q(op.Key)} doesn't exist`);
      if ((entry.Session ?? '') !== op.Session) fail(`failed session check for key ${q(op.Key)}, current session ${q(entry.Session ?? '')} != ${q(op.Session)}`);
      return [{ KV: { ...entry, Value: null } }];
    case 'check-not-exists':
      return entry ? fail(`key ${q(op.Key)} exists`) : [];
    default:
      return fail(`unknown KV verb ${q(op.Verb)}`);
  }
}

function kvWrite(tx: WriteTxn, op: TxnKVOp['KV']): TxnResult[] {
  const entry = { Key: op.Key, Value: op.Value, Flags: op.Flags, Session: op.Session };
  const written = (): TxnResult[] => [{ KV: { ...tx.table<KVEntry>(KV).get(op.Key)!, Value: null } }];
  switch (op.Verb) {
    case 'set':
      kvSetTxn(tx, { Key: op.Key, Value: op.Value, Flags: op.Flags });
      return written();
    case 'cas':
      if (!kvCasAllowed(tx, op.Key, op.Index)) fail(`failed to set key ${q(op.Key)}, index is stale`);
      kvSetTxn(tx, { Key: op.Key, Value: op.Value, Flags: op.Flags });
      return written();
    case 'lock':
      if (!kvLockTxn(tx, entry)) fail(`failed to lock key ${q(op.Key)}, lock is already held`);
      return written();
    case 'unlock':
      if (!kvUnlockTxn(tx, entry)) fail(`failed to unlock key ${q(op.Key)}, lock isn't held, or is held by another session`);
      return written();
    case 'delete':
      kvDeleteTxn(tx, op.Key);
      return [];
    case 'delete-tree':
      kvDeleteTreeTxn(tx, op.Key);
      return [];
    case 'delete-cas':
      if (!kvDeleteCasTxn(tx, op.Key, op.Index)) fail(`failed to delete key ${q(op.Key)}, index is stale`);
      return [];
    default:
      return kvRead(tx, op);
  }
}

function dispatch(view: TableView, tx: WriteTxn | null, ops: TxnOp[]): TxnOutcome {
  const results: TxnResult[] = [];
  const errors: TxnError[] = [];
  ops.forEach((op, i) => {
    const savepoint = tx?.savepoint() ?? 0;
    try {
      if ('KV' in op) results.push(...(tx ? kvWrite(tx, op.KV) : kvRead(view, op.KV)));
      else results.push(...txnCatalogOp(view, tx, op));
    } catch (err) {
      // A failed op leaves nothing half-done behind for the ops after it to see.
      tx?.rollbackTo(savepoint);
      if (!(err instanceof TxnOpFailed) && !isWeftError(err)) throw err;
      errors.push({ OpIndex: i, What: err.message });
    }
  });
  return errors.length ? { Results: null, Errors: errors } : { Results: results, Errors: null };
}

defineOp<TxnApplyOp>('txn.apply', (tx, op) => {
  const outcome = dispatch(tx, tx, op.Ops);
  if (outcome.Errors) tx.rollbackTo(0);
  return outcome;
});

/** A transaction of reads only: served from memory without a log entry, as Consul's Txn.Read. */
export function txnRead(store: StateStore, ops: TxnOp[]): TxnOutcome {
  return dispatch(store, null, ops);
}
