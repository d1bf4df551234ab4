import type { ApiClient } from '../../../api/index.js';
import { LockSession, retryable, sleep } from './session.js';

const WAIT = '15s';
const MONITOR_RETRY_MS = 1_000;

export interface HoldOptions {
  sessionName: string;
  /** With a value, one attempt that gives up after this many ms (`-timeout`). */
  tryOnceMs?: number;
  monitorRetries: number;
}

/** What one look at the keys decided while contending. */
export type Round =
  | { kind: 'acquired' }
  /** Someone else holds it: block until the keys change past `index`. */
  | { kind: 'wait'; index: number }
  /** Lost a race: look again, after `pauseMs` if given. */
  | { kind: 'again'; pauseMs?: number };

export interface KeyQuery {
  index: number;
  wait: string;
  signal: AbortSignal;
  consistent?: boolean;
}

/**
 * What Consul's api/lock.go and api/semaphore.go share: a session made for the attempt,
 * blocking reads of the keys until a round acquires (or `-timeout` runs out, or `stop`
 * fires), then a watch on the keys whose signal aborts once the hold is lost. Subclasses
 * say how a round reads and writes the keys and how to tell the hold is still theirs.
 */
export abstract class SessionHolder {
  private session: LockSession | null = null;
  private watching: AbortController | null = null;

  protected constructor(
    protected readonly client: ApiClient,
    private readonly hold: HoldOptions,
    private readonly behavior: 'release' | 'delete',
  ) {}

  /** Runs once the session exists, before the first round. */
  protected async enter(_sessionId: string): Promise<void> {}

  protected abstract round(sessionId: string, query: KeyQuery): Promise<Round>;

  /** One blocking read of the keys while holding; throws what the read throws. */
  protected abstract stillHeld(sessionId: string, query: KeyQuery): Promise<{ held: boolean; index: number }>;

  /** Gives the hold back, before the session ends. */
  protected abstract leave(sessionId: string): Promise<void>;

  /** Resolves with a signal that aborts if the hold is lost, or null if `stop` fired or the attempt timed out. */
  async acquire(stop: AbortSignal): Promise<AbortSignal | null> {
    const session = await LockSession.create(this.client, this.hold.sessionName, this.behavior);
    try {
      await this.enter(session.id);
      if (await this.contend(session.id, stop)) {
        this.session = session;
        return this.monitor(session.id);
      }
    } catch (err) {
      if (!stop.aborted) {
        await session.destroy();
        throw err;
      }
    }
    await session.destroy();
    return null;
  }

  /** True once a round acquires; false when `stop` fires or a one-shot attempt runs out of time. */
  private async contend(sessionId: string, stop: AbortSignal): Promise<boolean> {
    let index = 0;
    const start = Date.now();
    let attempts = 0;
    for (;;) {
      if (stop.aborted) return false;
      let wait = WAIT;
      if (this.hold.tryOnceMs !== undefined && attempts > 0) {
        const left = this.hold.tryOnceMs - (Date.now() - start);
        if (left <= 0) return false;
        wait = `${left}ms`;
      }
      attempts++;
      const r = await this.round(sessionId, { index, wait, signal: stop });
      if (r.kind === 'acquired') return true;
      if (r.kind === 'wait') index = r.index;
      else if (r.pauseMs !== undefined && !(await sleep(r.pauseMs, stop))) return false;
    }
  }

  /** Watches the keys while we hold them; the returned signal aborts once the hold is no longer ours. */
  private monitor(sessionId: string): AbortSignal {
    const lost = new AbortController();
    const watching = (this.watching = new AbortController());
    void (async () => {
      let index = 0;
      let retries = this.hold.monitorRetries;
      for (;;) {
        try {
          const r = await this.stillHeld(sessionId, { index, wait: '5m', consistent: true, signal: watching.signal });
          retries = this.hold.monitorRetries;
          if (!r.held) break;
          index = r.index;
        } catch (err) {
          if (watching.signal.aborted || retries <= 0 || !retryable(err)) break;
          retries--;
          index = 0;
          await sleep(MONITOR_RETRY_MS, watching.signal);
        }
      }
    })().finally(() => lost.abort());
    return lost.signal;
  }

  /** Gives the hold back (if it is still ours) and ends the session. */
  async release(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.watching?.abort();
    if (!session) return;
    try {
      await this.leave(session.id);
    } finally {
      await session.destroy();
    }
  }
}
