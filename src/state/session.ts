import { WeftError } from '../lib/errors.js';
import { CHECKS, NODES, catalogHooks, checkKey, nodeKey, type CheckRow } from './catalog/index.js';
import { KV, kvDeleteTxn, kvSetTxn, type KVEntry } from './kv.js';
import { defineOp } from './op.js';
import type { StateStore } from './store.js';
import type { TableDef } from './table.js';
import type { WriteTxn } from './txn.js';
import type { WatchSet } from './watch.js';

/**
 * Sessions (Consul's agent/consul/state/session.go): a session ties KV locks to a node and
 * its health. Invalidating one (destroy, TTL expiry, its node deregistered, one of its
 * checks critical or deleted) releases or deletes the keys it holds and starts their
 * lock-delay, all inside the log entry that caused it.
 */
export type SessionBehavior = 'release' | 'delete';

export interface ServiceCheckRef {
  ID: string;
  Namespace: string;
}

export interface SessionRow {
  ID: string;
  Name: string;
  Node: string;
  /** Nanoseconds, as Consul's JSON carries time.Duration. */
  LockDelay: number;
  Behavior: SessionBehavior;
  TTL: string;
  NodeChecks: string[];
  ServiceChecks: ServiceCheckRef[];
  CreateIndex: number;
  ModifyIndex: number;
}

/** A key released by an invalidated session: nobody may lock it again for `DelayMs` after `Index` was applied. */
export interface LockDelayRow {
  Key: string;
  DelayMs: number;
  Index: number;
}

export const SESSIONS = 'sessions';
export const LOCK_DELAYS = 'kv_lock_delays';

/** Consul's structs.MaxLockDelay: a longer delay is cut to this when it is applied. */
export const MAX_LOCK_DELAY_MS = 60_000;

const sessionCheckIds = (s: Pick<SessionRow, 'NodeChecks' | 'ServiceChecks'>): string[] => [
  ...new Set([...s.NodeChecks, ...s.ServiceChecks.map((c) => c.ID)]),
];

export const sessionTables: TableDef<any>[] = [
  {
    name: SESSIONS,
    primaryKey: (s: SessionRow) => s.ID,
    indexes: [
      { name: 'node', values: (s: SessionRow) => [nodeKey(s.Node)] },
      { name: 'check', values: (s: SessionRow) => sessionCheckIds(s).map((id) => checkKey(s.Node, id)) },
    ],
  },
  { name: LOCK_DELAYS, primaryKey: (d: LockDelayRow) => d.Key },
];

// ---- reads ------------------------------------------------------------------------------

export function sessionGet(store: StateStore, ws: WatchSet | null, id: string): { index: number; session?: SessionRow } {
  const index = store.tableIndex(ws, SESSIONS);
  return { index, session: store.table<SessionRow>(SESSIONS).get(id) };
}

export function sessionList(store: StateStore, ws: WatchSet | null): { index: number; sessions: SessionRow[] } {
  const index = store.tableIndex(ws, SESSIONS);
  return { index, sessions: sortSessions([...store.table<SessionRow>(SESSIONS).all()]) };
}

export function nodeSessions(store: StateStore, ws: WatchSet | null, node: string): { index: number; sessions: SessionRow[] } {
  const index = store.tableIndex(ws, SESSIONS);
  return { index, sessions: sortSessions([...store.table<SessionRow>(SESSIONS).by('node', nodeKey(node))]) };
}

const sortSessions = (rows: SessionRow[]): SessionRow[] => rows.sort((a, b) => a.CreateIndex - b.CreateIndex || (a.ID < b.ID ? -1 : 1));

// ---- writes -----------------------------------------------------------------------------

export type SessionInput = Omit<SessionRow, 'CreateIndex' | 'ModifyIndex'>;

export interface SessionCreateOp {
  type: 'session.create';
  Session: SessionInput;
  [k: string]: unknown;
}

export interface SessionDestroyOp {
  type: 'session.destroy';
  ID: string;
  [k: string]: unknown;
}

export function sessionCreateTxn(tx: WriteTxn, input: SessionInput): SessionRow {
  if (!input.ID) throw new WeftError('INTERNAL', 'Missing session ID');
  if (!tx.table(NODES).has(nodeKey(input.Node))) throw new WeftError('INTERNAL', 'Missing node registration');
  const checks = tx.table<CheckRow>(CHECKS);
  for (const id of sessionCheckIds(input)) {
    const check = checks.get(checkKey(input.Node, id));
    if (!check) throw new WeftError('INTERNAL', `Missing check '${id}' registration`);
    if (check.Status === 'critical') throw new WeftError('INTERNAL', `Check '${id}' is in critical state`);
  }
  const row: SessionRow = { ...input, CreateIndex: tx.index, ModifyIndex: tx.index };
  tx.put(SESSIONS, row);
  return row;
}

/** Invalidates a session: removes it and releases (or deletes) every key it holds. Missing sessions are a no-op. */
export function sessionDestroyTxn(tx: WriteTxn, id: string): boolean {
  const session = tx.delete<SessionRow>(SESSIONS, id);
  if (!session) return false;
  const delayMs = Math.min(session.LockDelay / 1e6, MAX_LOCK_DELAY_MS);
  for (const entry of [...tx.table<KVEntry>(KV).by('session', id)]) {
    if (session.Behavior === 'delete') kvDeleteTxn(tx, entry.Key);
    else kvSetTxn(tx, { Key: entry.Key, Flags: entry.Flags, Value: entry.Value, Session: undefined });
    if (delayMs > 0) tx.put<LockDelayRow>(LOCK_DELAYS, { Key: entry.Key, DelayMs: delayMs, Index: tx.index });
  }
  return true;
}

defineOp<SessionCreateOp>('session.create', (tx, op) => sessionCreateTxn(tx, op.Session).ID);
defineOp<SessionDestroyOp>('session.destroy', (tx, op) => {
  sessionDestroyTxn(tx, op.ID);
  return true;
});

// A session dies with its node, and with any of its checks going critical or away.
catalogHooks.nodeDeleted.push((tx, node) => {
  for (const s of [...tx.table<SessionRow>(SESSIONS).by('node', nodeKey(node))]) sessionDestroyTxn(tx, s.ID);
});
catalogHooks.checkChanged.push((tx, before, after) => {
  const check = after ?? before;
  if (!check || (after && after.Status !== 'critical')) return;
  for (const s of [...tx.table<SessionRow>(SESSIONS).by('check', checkKey(check.Node, check.CheckID))]) sessionDestroyTxn(tx, s.ID);
});
