import { tableTopic } from './watch.js';
import type { Table } from './table.js';

/** A row change to persist: `row === undefined` is a delete. */
export interface Change {
  table: string;
  key: string;
  row: unknown;
}

interface Undo {
  table: Table<unknown>;
  key: string;
  old: unknown;
  oldMaxIndex: number;
}

/**
 * The write side of one log entry: every change goes through here so that indexes,
 * wake-up topics, persistence and rollback are handled in one place.
 */
export class WriteTxn {
  private readonly undo: Undo[] = [];
  readonly topics = new Set<string>();
  readonly changed = new Map<string, Set<string>>();

  constructor(
    private readonly tables: ReadonlyMap<string, Table<unknown>>,
    readonly index: number,
  ) {}

  table<R>(name: string): Table<R> {
    const t = this.tables.get(name);
    if (!t) throw new Error(`unknown table ${name}`);
    return t as Table<R>;
  }

  put<R>(table: string, row: R): R | undefined {
    const t = this.table<R>(table);
    const key = t.def.primaryKey(row);
    this.undo.push({ table: t as Table<unknown>, key, old: t.get(key), oldMaxIndex: t.maxIndex });
    const old = t.put(row);
    this.mark(t as Table<unknown>, key);
    return old;
  }

  delete<R>(table: string, key: string): R | undefined {
    const t = this.table<R>(table);
    const old = t.get(key);
    if (old === undefined) return undefined;
    this.undo.push({ table: t as Table<unknown>, key, old, oldMaxIndex: t.maxIndex });
    t.delete(key);
    this.mark(t as Table<unknown>, key);
    return old;
  }

  /** Adds a wake-up topic beyond the table's own (KV keys and prefixes, for example). */
  touch(topic: string): void {
    this.topics.add(topic);
  }

  savepoint(): number {
    return this.undo.length;
  }

  /** Undoes every change made after `savepoint`, newest first. */
  rollbackTo(savepoint: number): void {
    while (this.undo.length > savepoint) {
      const u = this.undo.pop()!;
      if (u.old === undefined) u.table.delete(u.key);
      else u.table.put(u.old);
      u.table.maxIndex = u.oldMaxIndex;
    }
    // Topics and change marks may now over-report; that only costs a spurious wake-up or rewrite.
  }

  private mark(table: Table<unknown>, key: string): void {
    table.maxIndex = this.index;
    this.topics.add(tableTopic(table.name));
    let keys = this.changed.get(table.name);
    if (!keys) {
      keys = new Set();
      this.changed.set(table.name, keys);
    }
    keys.add(key);
  }
}
