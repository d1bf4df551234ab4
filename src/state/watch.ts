/**
 * Topic-based wake-ups for blocking queries. A read names the topics it depends on
 * (a table, a KV key, a KV prefix); a write notifies exactly the topics it touched, so
 * a watcher of one table or prefix never wakes for another.
 */
export type Waker = () => void;

export class WatchHub {
  private readonly topics = new Map<string, Set<Waker>>();

  subscribe(topics: Iterable<string>, wake: Waker): () => void {
    const subscribed: string[] = [];
    for (const topic of topics) {
      let set = this.topics.get(topic);
      if (!set) {
        set = new Set();
        this.topics.set(topic, set);
      }
      set.add(wake);
      subscribed.push(topic);
    }
    return () => {
      for (const topic of subscribed) {
        const set = this.topics.get(topic);
        if (!set) continue;
        set.delete(wake);
        if (set.size === 0) this.topics.delete(topic);
      }
    };
  }

  /** Wakes every subscriber of the given topics once, even if it listens on several of them. */
  notify(topics: Iterable<string>): void {
    let woken: Set<Waker> | undefined;
    for (const topic of topics) {
      const set = this.topics.get(topic);
      if (!set) continue;
      woken ??= new Set();
      for (const wake of set) woken.add(wake);
    }
    if (woken) for (const wake of woken) wake();
  }

  /** Wakes every subscriber: the whole state was replaced (a snapshot restore). */
  notifyAll(): void {
    this.notify([...this.topics.keys()]);
  }

  get size(): number {
    return this.topics.size;
  }
}

/** The topics one read depended on; handed to the blocking-query loop. */
export class WatchSet {
  readonly topics = new Set<string>();
  add(topic: string): void {
    this.topics.add(topic);
  }
}

export const tableTopic = (table: string): string => `t:${table}`;
