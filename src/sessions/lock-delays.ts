import { LOCK_DELAYS, tableTopic, type LockDelayRow, type StateStore } from '../state/index.js';

/**
 * Lock-delay on the server's clock. Invalidating a session records, in the log, which keys
 * it released and for how long; wall time is no part of the log, so this server notes when
 * it applied each record and refuses `acquire` until the delay has passed there. Consul's
 * leader does the same before it appends a lock (agent/consul/kvs_endpoint.go kvsPreApply).
 * Records found at start-up get a full delay from then: a restart never shortens one.
 */
export class LockDelays {
  private readonly expires = new Map<string, number>();
  private seenIndex = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: StateStore,
    private readonly now: () => number = Date.now,
  ) {
    this.scan();
    this.unsubscribe = store.hub.subscribe([tableTopic(LOCK_DELAYS)], () => this.scan());
  }

  /** Milliseconds until `key` may be locked again; 0 when it may be now. */
  remaining(key: string): number {
    const until = this.expires.get(key);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left > 0) return left;
    this.expires.delete(key);
    return 0;
  }

  stop(): void {
    this.unsubscribe();
  }

  private scan(): void {
    const now = this.now();
    let max = this.seenIndex;
    for (const row of this.store.table<LockDelayRow>(LOCK_DELAYS).all()) {
      if (row.Index <= this.seenIndex) continue;
      this.expires.set(row.Key, Math.max(this.expires.get(row.Key) ?? 0, now + row.DelayMs));
      max = Math.max(max, row.Index);
    }
    this.seenIndex = max;
  }
}
