import type { Etcd3, IWatchResponse, Watcher } from 'etcd3';
import type { RawEntry } from './etcd-store-io.js';

export interface LogWatchEvents {
  /** Where to (re)start: the revision after the last one applied. */
  from: () => number;
  /** Log entries written (puts only), in revision order. */
  onEntries: (entries: RawEntry[]) => void;
  /** The stream is up again. */
  onConnected: () => void;
  /** The stream broke; `canceled` when etcd ended the watch (its start revision was compacted, say). */
  onLost: (reason: string, canceled: boolean) => void;
}

/**
 * Follows the log prefix on etcd's watch stream. etcd3's own reconnection would resume from
 * the revision it last saw in a header, which can skip entries not yet delivered; this
 * watcher instead starts again from the revision after the last one applied, with a growing
 * pause (0.1 s to 2 s). A watch etcd cancels is not restarted: the owner reads the log
 * directly first, then starts it again.
 */
export class LogWatch {
  private watcher: Watcher | null = null;
  private gen = 0;
  private failures = 0;
  private stopped = true;

  constructor(
    private readonly client: Etcd3,
    private readonly prefix: string,
    private readonly events: LogWatchEvents,
  ) {}

  start(): void {
    this.stopped = false;
    const gen = ++this.gen;
    this.client
      .watch()
      .prefix(this.prefix)
      .startRevision(String(this.events.from()))
      .create()
      .then((w) => {
        if (gen !== this.gen) return void w.cancel().catch(() => undefined);
        this.watcher = w;
        this.failures = 0;
        this.events.onConnected();
        w.on('data', (res: IWatchResponse) => gen === this.gen && this.onData(res));
        w.on('disconnected', (err: Error) => gen === this.gen && this.broke(err?.message ?? 'disconnected', false));
        w.on('error', (err: Error) => gen === this.gen && this.broke(err?.message ?? 'canceled', true));
      })
      .catch((err: Error) => gen === this.gen && this.broke(err?.message ?? String(err), true));
  }

  stop(): void {
    this.stopped = true;
    this.gen++;
    const w = this.watcher;
    this.watcher = null;
    w?.cancel().catch(() => undefined);
  }

  private broke(reason: string, canceled: boolean): void {
    this.stop();
    this.events.onLost(reason, canceled);
    if (canceled) return;
    this.stopped = false;
    const gen = this.gen;
    const delay = Math.min(2000, 100 * 2 ** this.failures++);
    setTimeout(() => gen === this.gen && !this.stopped && this.start(), delay).unref();
  }

  private onData(res: IWatchResponse): void {
    const entries: RawEntry[] = [];
    for (const ev of res.events) {
      if (ev.type !== 'Put') continue;
      entries.push({ rev: Number(ev.kv.mod_revision), nonce: ev.kv.key.toString('utf8').slice(this.prefix.length), value: ev.kv.value });
    }
    if (entries.length) this.events.onEntries(entries);
  }
}
