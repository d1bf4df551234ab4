import type { Change } from '../txn.js';
import type { LogEntry, Op } from '../op.js';
import type { SnapshotData } from '../../snapshot/index.js';

export interface StoredRow {
  table: string;
  key: string;
  row: unknown;
}

export interface BackendState {
  rows: Iterable<StoredRow>;
  /** Highest log index whose effects `rows` include. */
  appliedIndex: number;
  /** Table name → highest modify index, as of appliedIndex. Tables not listed take `appliedIndex`. */
  tableIndexes: Record<string, number>;
  /** Committed entries after appliedIndex, in order, to replay. */
  pending: LogEntry[];
}

/** Why the tables were replaced wholesale. */
export type ResetReason = 'restore' | 'resync';

/**
 * Where the log lives. A backend makes appended ops durable, gives them their index,
 * and hands committed entries back in index order through `onCommit` — including
 * entries other servers appended, for a shared backend such as etcd.
 *
 * `onReset` replaces the tables wholesale: after a snapshot restore (on every server
 * sharing the log, at the restore's place in it), or when a server that fell behind a
 * compacted log reloads the latest snapshot.
 */
export interface Backend {
  readonly name: string;
  open(onCommit: (entries: LogEntry[]) => void, onReset: (state: BackendState, reason: ResetReason) => void): Promise<BackendState>;
  /** Resolves once the ops are durable and `onCommit` has been called for them. */
  append(ops: { op: Op; nonce: string }[]): Promise<void>;
  /** Row images after applying up to `appliedIndex`, so restarts need not replay the whole log. */
  persist(changes: Change[], appliedIndex: number, tableIndexes: Record<string, number>): void;
  /**
   * Replaces the whole state with a snapshot, durably and in log order; resolves once
   * `onReset` has been called here. The new index is above both the current index and the
   * snapshot's, so no index ever goes backwards.
   */
  restore(snapshot: SnapshotData): Promise<void>;
  /** Resolves once every write committed before the call is applied here (a linearizable read point). */
  barrier?(): Promise<void>;
  /** How far (ms) the applied state may trail the log; 0 when known to be current. */
  lagMs?(): number;
  close(): Promise<void>;
}

/** The index a restore gets: past everything before it, and past every index inside the snapshot. */
export function restoreIndex(current: number, snapshot: SnapshotData): number {
  return Math.max(current, snapshot.meta.Index) + 1;
}

/** The tables after a restore: the snapshot's rows, every table's index at the restore's. */
export function restoredState(snapshot: SnapshotData, index: number): BackendState {
  const tableIndexes: Record<string, number> = {};
  for (const name of Object.keys(snapshot.meta.TableIndexes)) tableIndexes[name] = index;
  return { rows: snapshot.rows, appliedIndex: index, tableIndexes, pending: [] };
}
