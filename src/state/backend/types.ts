import type { Change } from '../txn.js';
import type { LogEntry, Op } from '../op.js';

export interface StoredRow {
  table: string;
  key: string;
  row: unknown;
}

export interface BackendState {
  rows: Iterable<StoredRow>;
  /** Highest log index whose effects `rows` include. */
  appliedIndex: number;
  /** Table name → highest modify index, as of appliedIndex. */
  tableIndexes: Record<string, number>;
  /** Committed entries after appliedIndex, in order, to replay. */
  pending: LogEntry[];
}

/**
 * Where the log lives. A backend makes appended ops durable, gives them their index,
 * and hands committed entries back in index order through `onCommit` — including
 * entries other servers appended, for a shared backend such as etcd.
 */
export interface Backend {
  readonly name: string;
  open(onCommit: (entries: LogEntry[]) => void): Promise<BackendState>;
  /** Resolves once the ops are durable and `onCommit` has been called for them. */
  append(ops: { op: Op; nonce: string }[]): Promise<void>;
  /** Row images after applying up to `appliedIndex`, so restarts need not replay the whole log. */
  persist(changes: Change[], appliedIndex: number, tableIndexes: Record<string, number>): void;
  close(): Promise<void>;
}
