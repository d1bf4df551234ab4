/**
 * Keys kept in byte order for prefix scans (KV recurse, keys, separators).
 * A sorted array with binary search: inserts move pointers, which stays cheap well
 * past a million keys and keeps range reads allocation-free.
 */
export class SortedKeys {
  private keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  add(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  delete(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Keys starting with `prefix`, in order. */
  *withPrefix(prefix: string): IterableIterator<string> {
    for (let i = this.lowerBound(prefix); i < this.keys.length; i++) {
      const k = this.keys[i];
      if (!k.startsWith(prefix)) return;
      yield k;
    }
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.keys[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Byte-wise (UTF-8 code unit order) comparison, as Consul's radix tree orders keys. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
