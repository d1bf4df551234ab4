import { WatchSet } from '../state/index.js';

/** What the cache needs of the store: an index that moves with every change to any table. */
export interface IndexedState {
  /** Index of the last applied log entry; never goes backwards, and a restore gets a new one. */
  readonly index: number;
}

export interface SharedReadLimits {
  /** Most results kept at one index; reads past it are computed without being kept. */
  entries: number;
  /** Most encoded bytes kept at one index. */
  bytes: number;
}

const DEFAULT_LIMITS: SharedReadLimits = { entries: 1024, bytes: 32 * 1024 * 1024 };

interface Read<T> {
  topics: string[];
  value: T;
}

/**
 * Results that every request at one store index may share. A write can wake thousands of
 * blocking queries on the same key or prefix; without this each would scan the same rows
 * and encode the same body. Everything kept is a pure function of the key it is kept under
 * and the state at `state.index`, so the whole cache is dropped as soon as that index moves:
 * a stale result can never be served, and memory is bounded by what one index's reads made.
 * Callers put everything that shapes a result into its key, and keep per-caller decisions
 * (ACL filtering, headers) out of it.
 */
export class SharedReads {
  private atIndex = -1;
  private readonly kept = new Map<string, unknown>();
  private keptBytes = 0;

  constructor(
    private readonly state: IndexedState,
    private readonly limits: SharedReadLimits = DEFAULT_LIMITS,
  ) {}

  /**
   * A store read made once per index: `read` gets a watch set of its own, and every caller
   * gets its topics added to theirs, so each still wakes exactly when it would have.
   */
  read<T>(ws: WatchSet, key: string, read: (ws: WatchSet) => T): T {
    const hit = this.keep<Read<T>>(`read\0${key}`, 0, () => {
      const own = new WatchSet();
      const value = read(own);
      return { topics: [...own.topics], value };
    });
    for (const topic of hit.topics) ws.add(topic);
    return hit.value;
  }

  /** A body encoded once per index; the same bytes go to every socket. */
  encoded(key: string, encode: () => Buffer): Buffer {
    return this.keep(`body\0${key}`, undefined, encode);
  }

  /** How many results are kept now (for tests). */
  get size(): number {
    this.expire();
    return this.kept.size;
  }

  /** `bytes` undefined: the value is a Buffer and weighs its length. */
  private keep<T>(key: string, bytes: number | undefined, make: () => T): T {
    this.expire();
    if (this.kept.has(key)) return this.kept.get(key) as T;
    const value = make();
    const weight = bytes ?? (value as Buffer).length;
    if (this.kept.size < this.limits.entries && this.keptBytes + weight <= this.limits.bytes) {
      this.kept.set(key, value);
      this.keptBytes += weight;
    }
    return value;
  }

  private expire(): void {
    if (this.state.index === this.atIndex) return;
    this.kept.clear();
    this.keptBytes = 0;
    this.atIndex = this.state.index;
  }
}

const byState = new WeakMap<IndexedState, SharedReads>();

/** The one cache of a store, whichever listener's routes ask for it. */
export function sharedReadsOf(state: IndexedState): SharedReads {
  let shared = byState.get(state);
  if (!shared) byState.set(state, (shared = new SharedReads(state)));
  return shared;
}
