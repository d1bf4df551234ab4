import { WeftError } from '../../lib/errors.js';

interface Waiter {
  rev: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A write that was committed but is not applied here after this long fails; the entry still applies when it arrives. */
const APPLY_TIMEOUT_MS = 30_000;

/**
 * Callers waiting for a revision to be applied on this server (a write's own entry, or the
 * log head for a consistent read). `onStall` runs if one waits longer than `stallMs`, so the
 * owner can read the log directly instead of waiting for a slow watch.
 */
export class AppliedWaiters {
  private waiters: Waiter[] = [];

  constructor(
    private readonly stallMs: number,
    private readonly onStall: () => void,
  ) {}

  wait(rev: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const stall = setTimeout(this.onStall, this.stallMs);
      const timeout = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new WeftError('NO_LEADER', `No cluster leader: the write was committed in etcd (revision ${rev}) but could not be read back within ${APPLY_TIMEOUT_MS / 1000}s`));
      }, APPLY_TIMEOUT_MS);
      const done = (settle: () => void) => {
        clearTimeout(stall);
        clearTimeout(timeout);
        settle();
      };
      const waiter: Waiter = { rev, resolve: () => done(resolve), reject: (err) => done(() => reject(err)) };
      this.waiters.push(waiter);
    });
  }

  /** Everything up to `seen` is applied. */
  settle(seen: number): void {
    this.take((w) => w.rev <= seen).forEach((w) => w.resolve());
  }

  /** Fails the waits for revisions up to `rev` (swallowed by a snapshot reload), or all of them. */
  fail(err: unknown, upTo = Infinity): void {
    this.take((w) => w.rev <= upTo).forEach((w) => w.reject(err));
  }

  private take(match: (w: Waiter) => boolean): Waiter[] {
    const out = this.waiters.filter(match);
    if (out.length) this.waiters = this.waiters.filter((w) => !match(w));
    return out;
  }
}
