import { SortedKeys } from './sorted-keys.js';

/**
 * One in-memory table: rows by primary key plus secondary indexes that map an
 * index value to the set of primary keys having it. Rows are immutable once
 * stored: writers replace them, so a reader holding a row never sees it change.
 */
export interface IndexDef<R> {
  name: string;
  /** Index values of a row; several values make a multi-index (e.g. tags). */
  values(row: R): readonly string[];
}

export interface TableDef<R> {
  name: string;
  primaryKey(row: R): string;
  indexes?: IndexDef<R>[];
  /** Keep primary keys in order for prefix scans. */
  ordered?: boolean;
}

export class Table<R> {
  readonly name: string;
  private readonly rows = new Map<string, R>();
  private readonly secondary = new Map<string, Map<string, Set<string>>>();
  private readonly order: SortedKeys | null;
  /** Highest modify index of any write (insert, update or delete) to this table. */
  maxIndex = 0;

  constructor(readonly def: TableDef<R>) {
    this.name = def.name;
    for (const idx of def.indexes ?? []) this.secondary.set(idx.name, new Map());
    this.order = def.ordered ? new SortedKeys() : null;
  }

  /** Rows whose primary key starts with `prefix`, in key order (ordered tables only). */
  *withPrefix(prefix: string): IterableIterator<R> {
    if (!this.order) throw new Error(`table ${this.name} is not ordered`);
    for (const key of this.order.withPrefix(prefix)) yield this.rows.get(key)!;
  }

  get(key: string): R | undefined {
    return this.rows.get(key);
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  get size(): number {
    return this.rows.size;
  }

  all(): IterableIterator<R> {
    return this.rows.values();
  }

  entries(): IterableIterator<[string, R]> {
    return this.rows.entries();
  }

  /** Rows whose index `name` has value `value`. */
  *by(name: string, value: string): IterableIterator<R> {
    const keys = this.secondary.get(name)?.get(value);
    if (!keys) return;
    for (const key of keys) {
      const row = this.rows.get(key);
      if (row !== undefined) yield row;
    }
  }

  countBy(name: string, value: string): number {
    return this.secondary.get(name)?.get(value)?.size ?? 0;
  }

  /** Distinct values present in a secondary index. */
  indexValues(name: string): IterableIterator<string> {
    const idx = this.secondary.get(name);
    if (!idx) throw new Error(`table ${this.name} has no index ${name}`);
    return idx.keys();
  }

  /** Stores a row and returns the row it replaced. Only the store's write path calls this. */
  put(row: R): R | undefined {
    const key = this.def.primaryKey(row);
    const old = this.rows.get(key);
    if (old !== undefined) this.unindex(key, old);
    else this.order?.add(key);
    this.rows.set(key, row);
    this.index(key, row);
    return old;
  }

  /** Removes a row by key and returns it. Only the store's write path calls this. */
  delete(key: string): R | undefined {
    const old = this.rows.get(key);
    if (old === undefined) return undefined;
    this.unindex(key, old);
    this.rows.delete(key);
    this.order?.delete(key);
    return old;
  }

  clear(): void {
    this.rows.clear();
    if (this.order) for (const key of [...this.order.withPrefix('')]) this.order.delete(key);
    for (const idx of this.secondary.values()) idx.clear();
    this.maxIndex = 0;
  }

  private index(key: string, row: R): void {
    for (const def of this.def.indexes ?? []) {
      const idx = this.secondary.get(def.name)!;
      for (const value of def.values(row)) {
        let keys = idx.get(value);
        if (!keys) {
          keys = new Set();
          idx.set(value, keys);
        }
        keys.add(key);
      }
    }
  }

  private unindex(key: string, row: R): void {
    for (const def of this.def.indexes ?? []) {
      const idx = this.secondary.get(def.name)!;
      for (const value of def.values(row)) {
        const keys = idx.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) idx.delete(value);
      }
    }
  }
}
