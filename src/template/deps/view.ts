/**
 * The watch loop of one dependency (consul-template's watch/view.go): a blocking query,
 * then another from the returned index, forever. Data is reported only when it really
 * changed: the same index, an equal value, or a nil value of a blocking `key` are not
 * news. Failures retry with backoff; when retries run out the error is reported and the
 * loop ends.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { formatDuration } from '../../lib/duration.js';
import { abortableDelay, type Dependency, type DependencyContext } from './dependency.js';
import { nextRetry, type RetryPolicy } from './retry.js';

/** Updates closer together than this are spaced out, so a flapping key cannot spin the loop. */
const MIN_UPDATE_INTERVAL_MS = 100;

export interface ViewOptions {
  ctx: DependencyContext;
  /** 0: never read stale data; otherwise read from any server while its last contact is within this. */
  maxStaleMs: number;
  blockWaitMs: number;
  /** Stop after the first data (`-once`). */
  once: boolean;
  retry: RetryPolicy;
  log: Logger;
}

export class View {
  data: unknown = undefined;
  received = false;
  private lastIndex = 0;
  private readonly abort = new AbortController();

  constructor(
    readonly dependency: Dependency,
    private readonly opts: ViewOptions,
    private readonly onData: (view: View) => void,
    private readonly onError: (view: View, err: Error) => void,
  ) {}

  start(): void {
    this.poll().catch((err: unknown) => {
      if (!this.abort.signal.aborted) this.onError(this, err instanceof Error ? err : new Error(String(err)));
    });
  }

  stop(): void {
    this.abort.abort(new Error('view stopped'));
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async poll(): Promise<void> {
    let retries = 0;
    while (!this.stopped) {
      try {
        await this.fetchUntilChanged(() => (retries = 0));
      } catch (err) {
        if (this.stopped) return;
        const { retry, sleepMs } = nextRetry(this.opts.retry, retries);
        if (!retry) throw err;
        retries += 1;
        this.opts.log.warn(`(view) ${this.dependency.key}: ${(err as Error).message} (retry attempt ${retries} after "${formatDuration(sleepMs)}")`);
        await abortableDelay(sleepMs, this.abort.signal).catch(() => undefined);
        continue;
      }
      if (this.stopped) return;
      this.onData(this);
      if (this.opts.once) return;
    }
  }

  /** Fetches until the dependency has news, then stores it. */
  private async fetchUntilChanged(contacted: () => void): Promise<void> {
    const { maxStaleMs } = this.opts;
    let allowStale = maxStaleMs > 0;
    let first = true;
    const signal = this.abort.signal;
    for (;;) {
      const started = Date.now();
      const res = await this.dependency.fetch(this.opts.ctx, { index: this.lastIndex, waitMs: this.opts.blockWaitMs, stale: allowStale, signal });
      contacted();
      if (allowStale && res.lastContact > maxStaleMs) {
        this.opts.log.debug(`(view) ${this.dependency.key}: stale data (last contact exceeded max_stale)`);
        allowStale = false;
        continue;
      }
      allowStale = maxStaleMs > 0;
      const elapsed = Date.now() - started;
      if (!first && elapsed < MIN_UPDATE_INTERVAL_MS) {
        await abortableDelay(MIN_UPDATE_INTERVAL_MS - elapsed + Math.random() * 20, signal);
      }
      first = false;
      if (res.index === this.lastIndex) continue;
      if (res.index < this.lastIndex) {
        // The index went backwards (a restored or replaced server): start over.
        this.lastIndex = 0;
        continue;
      }
      this.lastIndex = res.index;
      if (this.received && isDeepStrictEqual(res.value, this.data)) continue;
      if (res.value === null && this.dependency.blockOnNil) continue;
      this.data = res.value;
      this.received = true;
      return;
    }
  }
}
