import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { Change } from '../txn.js';
import type { LogEntry, Op } from '../op.js';
import type { SnapshotData } from '../../snapshot/index.js';
import { restoredState, restoreIndex, type Backend, type BackendState, type ResetReason, type StoredRow } from './types.js';

interface Queued {
  op: Op;
  nonce: string;
  resolve: () => void;
  reject: (err: unknown) => void;
  /** A snapshot restore takes its place in the queue, so it lands between the writes around it. */
  restore?: SnapshotData;
}

/** How long row images may wait for a log append to ride along with before they are written alone. */
const IDLE_ROW_FLUSH_MS = 200;

/**
 * The embedded durable backend: a log and row images in one LMDB environment.
 * Appends are group-committed (everything queued while a commit is in flight goes
 * into the next one) and acknowledged only after LMDB reports the commit flushed; a
 * batch may commit while the one before it is still flushing.
 * Row images trail the log by a batch and ride along in the next commit, so the
 * acknowledgement path costs one fsync per batch.
 */
export class LmdbBackend implements Backend {
  readonly name = 'embedded';
  private root!: RootDatabase;
  private log!: Database<Op, number>;
  private rows!: Database<unknown, [string, string]>;
  private meta!: Database<unknown, string>;
  private onCommit: (entries: LogEntry[]) => void = () => {};
  private onReset: (state: BackendState, reason: ResetReason) => void = () => {};
  private nextIndex = 1;
  private lowestLogIndex = 1;
  private queue: Queued[] = [];
  private committing = false;
  private pendingRows = new Map<string, StoredRow>();
  private pendingApplied: { index: number; tableIndexes: Record<string, number> } | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Acknowledgements in commit order: each waits for its batch's flush. */
  private delivered: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly dir: string) {}

  async open(onCommit: (entries: LogEntry[]) => void, onReset: (state: BackendState, reason: ResetReason) => void): Promise<BackendState> {
    this.onCommit = onCommit;
    this.onReset = onReset;
    mkdirSync(this.dir, { recursive: true });
    this.root = open({ path: join(this.dir, 'state.lmdb'), maxDbs: 4, compression: false });
    this.log = this.root.openDB<Op, number>({ name: 'log' });
    this.rows = this.root.openDB<unknown, [string, string]>({ name: 'rows' });
    this.meta = this.root.openDB<unknown, string>({ name: 'meta' });

    const appliedIndex = (this.meta.get('appliedIndex') as number | undefined) ?? 0;
    const tableIndexes = (this.meta.get('tableIndexes') as Record<string, number> | undefined) ?? {};
    const pending: LogEntry[] = [];
    let lowest = Infinity;
    for (const { key, value } of this.log.getRange()) {
      lowest = Math.min(lowest, key);
      if (key > appliedIndex) pending.push({ index: key, op: value });
    }
    this.lowestLogIndex = Number.isFinite(lowest) ? lowest : appliedIndex + 1;
    this.nextIndex = Math.max(appliedIndex, pending.at(-1)?.index ?? 0) + 1;

    const rows = this.rows;
    function* storedRows(): Iterable<StoredRow> {
      for (const { key, value } of rows.getRange()) yield { table: key[0], key: key[1], row: value };
    }
    return { rows: storedRows(), appliedIndex, tableIndexes, pending };
  }

  append(ops: { op: Op; nonce: string }[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return new Promise<void>((resolve, reject) => {
      // Resolve once per call, after the last op of the call is committed.
      let left = ops.length;
      const done = () => --left === 0 && resolve();
      for (const { op, nonce } of ops) this.queue.push({ op, nonce, resolve: done, reject });
      this.commitNext();
    });
  }

  restore(snapshot: SnapshotData): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ op: { type: '$restore' }, nonce: '', resolve, reject, restore: snapshot });
      this.commitNext();
    });
  }

  persist(changes: Change[], appliedIndex: number, tableIndexes: Record<string, number>): void {
    for (const c of changes) this.pendingRows.set(`${c.table}\u0000${c.key}`, { table: c.table, key: c.key, row: c.row });
    this.pendingApplied = { index: appliedIndex, tableIndexes: { ...tableIndexes } };
    if (!this.committing && this.queue.length === 0) this.scheduleIdleFlush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    while (this.committing) await this.root.committed;
    await this.delivered;
    if (this.pendingApplied) await this.writeBatch([]);
    await this.root.flushed;
    await this.root.close();
  }

  private scheduleIdleFlush(): void {
    if (this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!this.committing && this.pendingApplied) this.commitNext(true);
    }, IDLE_ROW_FLUSH_MS);
    this.idleTimer.unref();
  }

  private commitNext(rowsOnly = false): void {
    if (this.committing || (this.queue.length === 0 && !rowsOnly)) return;
    this.committing = true;
    if (this.queue[0]?.restore) return this.commitRestore(this.queue.shift()!);
    const restoreAt = this.queue.findIndex((q) => q.restore);
    const batch = this.queue.splice(0, restoreAt < 0 ? this.queue.length : restoreAt);
    const entries: LogEntry[] = batch.map((q) => ({ index: this.nextIndex++, op: q.op, nonce: q.nonce }));
    this.writeBatch(entries).then(
      () => {
        // Committed but perhaps not yet on disk. The next batch may commit while this one
        // flushes (LMDB's overlapping sync); acknowledgements still wait for the flush, in order.
        this.committing = false;
        const flushed = this.root.flushed;
        this.delivered = this.delivered
          .then(() => flushed)
          .then(
            () => {
              if (entries.length) this.onCommit(entries);
              for (const q of batch) q.resolve();
            },
            (err) => {
              for (const q of batch) q.reject(err);
            },
          );
        if (this.queue.length) this.commitNext();
        else if (this.pendingApplied) this.scheduleIdleFlush();
      },
      (err) => {
        this.committing = false;
        this.nextIndex = entries[0]?.index ?? this.nextIndex;
        for (const q of batch) q.reject(err);
        if (this.queue.length) this.commitNext();
      },
    );
  }

  /**
   * Replaces rows and log with the snapshot's in one transaction. Earlier batches are
   * delivered first and nothing commits until the reset is delivered, so no row image of
   * the old state can be written after it.
   */
  private commitRestore(q: Queued): void {
    const snapshot = q.restore!;
    const index = restoreIndex(this.nextIndex - 1, snapshot);
    const state = restoredState(snapshot, index);
    const run = async () => {
      await this.delivered;
      this.pendingRows = new Map();
      this.pendingApplied = null;
      await this.root.transaction(() => {
        for (const key of [...this.rows.getKeys()]) this.rows.remove(key);
        for (const key of [...this.log.getKeys()]) this.log.remove(key);
        for (const r of snapshot.rows) this.rows.put([r.table, r.key], r.row);
        this.meta.put('appliedIndex', index);
        this.meta.put('tableIndexes', state.tableIndexes);
      });
      await this.root.flushed;
      this.nextIndex = index + 1;
      this.lowestLogIndex = index + 1;
      this.onReset(state, 'restore');
    };
    run().then(
      () => {
        this.committing = false;
        q.resolve();
        if (this.queue.length) this.commitNext();
      },
      (err) => {
        this.committing = false;
        q.reject(err);
        if (this.queue.length) this.commitNext();
      },
    );
  }

  /** One atomic LMDB transaction: new log entries plus the row images that have caught up. */
  private async writeBatch(entries: LogEntry[]): Promise<void> {
    const rows = [...this.pendingRows.values()];
    const applied = this.pendingApplied;
    this.pendingRows = new Map();
    this.pendingApplied = null;
    try {
      await this.root.transaction(() => {
        for (const e of entries) this.log.put(e.index, e.op);
        for (const r of rows) {
          if (r.row === undefined) this.rows.remove([r.table, r.key]);
          else this.rows.put([r.table, r.key], r.row);
        }
        if (applied) {
          this.meta.put('appliedIndex', applied.index);
          this.meta.put('tableIndexes', applied.tableIndexes);
          for (let i = this.lowestLogIndex; i <= applied.index; i++) this.log.remove(i);
        }
      });
      if (applied) this.lowestLogIndex = Math.max(this.lowestLogIndex, applied.index + 1);
    } catch (err) {
      // Keep the row images for the next attempt; newer images win over these.
      for (const r of rows) {
        const k = `${r.table}\u0000${r.key}`;
        if (!this.pendingRows.has(k)) this.pendingRows.set(k, r);
      }
      this.pendingApplied ??= applied;
      throw err;
    }
  }
}
