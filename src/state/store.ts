import { randomUUID } from 'node:crypto';
import { WeftError } from '../lib/errors.js';
import type { Backend, BackendState, ResetReason } from './backend/types.js';
import { opHandler, type LogEntry, type Op } from './op.js';
import { newSnapshotMeta, type SnapshotData } from '../snapshot/index.js';
import { Table, type TableDef } from './table.js';
import { WriteTxn, type Change } from './txn.js';
import { WatchHub, tableTopic, type WatchSet } from './watch.js';

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * The state store: in-memory tables that follow a durable log. Writes enter only through
 * `apply`, which appends the op to the backend and resolves with the op's result once it
 * is durable and applied. Reads are synchronous and never see an op before it is durable.
 */
export class StateStore {
  readonly hub = new WatchHub();
  private readonly tables = new Map<string, Table<unknown>>();
  private readonly waiting = new Map<string, Waiter>();
  private lastIndex = 0;
  private opened = false;

  constructor(
    private readonly backend: Backend,
    tableDefs: TableDef<any>[],
  ) {
    for (const def of tableDefs) this.tables.set(def.name, new Table(def));
  }

  get backendName(): string {
    return this.backend.name;
  }

  /** Index of the last applied log entry; never goes backwards. */
  get index(): number {
    return this.lastIndex;
  }

  async open(): Promise<void> {
    const state = await this.backend.open(
      (entries) => this.applyCommitted(entries),
      (s, why) => this.reset(s, why),
    );
    this.load(state, 0);
    if (state.pending.length) this.applyCommitted(state.pending);
    this.opened = true;
  }

  /** Every row of every table, as of now (synchronous, so it is one consistent point). */
  snapshot(): SnapshotData {
    const rows: SnapshotData['rows'] = [];
    for (const [name, t] of this.tables) for (const [key, row] of t.entries()) rows.push({ table: name, key, row });
    return { meta: newSnapshotMeta(this.lastIndex, this.backend.name, this.tableIndexes()), rows };
  }

  /** Replaces the whole state with a snapshot's, on every server sharing the log; resolves once applied here. */
  async restore(snapshot: SnapshotData): Promise<void> {
    if (!this.opened) throw new WeftError('UNAVAILABLE', 'store is not open');
    await this.backend.restore(snapshot);
  }

  /** Resolves once every write committed anywhere before the call is applied here (`?consistent`). */
  async barrier(): Promise<void> {
    await this.backend.barrier?.();
  }

  /** How long the tables may have trailed the shared log (X-Consul-LastContact); 0 for a local log. */
  lagMs(): number {
    return this.backend.lagMs?.() ?? 0;
  }

  async close(): Promise<void> {
    await this.backend.close();
    for (const w of this.waiting.values()) w.reject(new WeftError('UNAVAILABLE', 'store is closed'));
    this.waiting.clear();
  }

  table<R>(name: string): Table<R> {
    const t = this.tables.get(name);
    if (!t) throw new Error(`unknown table ${name}`);
    return t as Table<R>;
  }

  /** Max modify index of the named tables, watching them. Never 0, as Consul's clients expect. */
  tableIndex(ws: WatchSet | null, ...names: string[]): number {
    let max = 0;
    for (const name of names) {
      ws?.add(tableTopic(name));
      max = Math.max(max, this.table(name).maxIndex);
    }
    return Math.max(max, 1);
  }

  /** Appends an op to the log and resolves with its handler's result once durable and applied. */
  apply<T = unknown>(op: Op): Promise<T> {
    if (!this.opened) return Promise.reject(new WeftError('UNAVAILABLE', 'store is not open'));
    if (!opHandler(op.type)) return Promise.reject(new Error(`no handler for op ${op.type}`));
    const nonce = randomUUID();
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(nonce, { resolve: resolve as (v: unknown) => void, reject });
      this.backend.append([{ op, nonce }]).catch((err) => {
        if (!this.waiting.delete(nonce)) return;
        // A backend's own errors (no quorum, for one) already say what the client should see.
        reject(err instanceof WeftError ? err : new WeftError('INTERNAL', `failed to commit: ${String(err)}`, { cause: err }));
      });
    });
  }

  private applyCommitted(entries: LogEntry[]): void {
    const topics = new Set<string>();
    const changed = new Map<string, Set<string>>();
    const settle: (() => void)[] = [];
    for (const entry of entries) {
      if (entry.index <= this.lastIndex) continue; // a shared backend may redeliver
      const tx = new WriteTxn(this.tables, entry.index);
      let ok = true;
      let result: unknown;
      try {
        result = opHandler(entry.op.type)!(tx, entry.op);
      } catch (err) {
        ok = false;
        result = err;
        tx.rollbackTo(0);
      }
      this.lastIndex = entry.index;
      for (const t of tx.topics) topics.add(t);
      for (const [table, keys] of tx.changed) {
        let set = changed.get(table);
        if (!set) changed.set(table, (set = new Set()));
        for (const k of keys) set.add(k);
      }
      const waiter = entry.nonce === undefined ? undefined : this.waiting.get(entry.nonce);
      if (waiter) {
        this.waiting.delete(entry.nonce!);
        settle.push(ok ? () => waiter.resolve(result) : () => waiter.reject(result));
      }
    }
    this.backend.persist(this.changes(changed), this.lastIndex, this.tableIndexes());
    this.hub.notify(topics);
    for (const s of settle) s();
  }

  /** `unlisted`: the index of tables the state does not list (a snapshot from a Weft without them). */
  private load(state: BackendState, unlisted: number): void {
    for (const { table, row } of state.rows) this.tables.get(table)?.put(row);
    for (const [name, t] of this.tables) t.maxIndex = state.tableIndexes[name] ?? unlisted;
    this.lastIndex = state.appliedIndex;
  }

  /** The backend replaced the state wholesale: every watcher wakes, since anything may have changed. */
  private reset(state: BackendState, _why: ResetReason): void {
    for (const t of this.tables.values()) t.clear();
    this.load(state, state.appliedIndex);
    if (state.pending.length) this.applyCommitted(state.pending);
    this.hub.notifyAll();
  }

  private changes(changed: Map<string, Set<string>>): Change[] {
    const out: Change[] = [];
    for (const [name, keys] of changed) {
      const t = this.tables.get(name)!;
      for (const key of keys) out.push({ table: name, key, row: t.get(key) });
    }
    return out;
  }

  private tableIndexes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, t] of this.tables) out[name] = t.maxIndex;
    return out;
  }
}
