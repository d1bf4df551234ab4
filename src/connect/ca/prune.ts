import type { Logger } from 'pino';
import { caRoots, type StateStore } from '../../state/index.js';

/** setTimeout's limit; a prune time further out is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const RETRY_MS = 60_000;

/**
 * Removes rotated-out roots once every leaf they signed has expired (their PruneAfter).
 * Only the leader acts; the removal is an op, so every server and replay agrees.
 */
export class PruneTimer {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: StateStore,
    private readonly isLeader: () => boolean,
    private readonly log: Logger,
  ) {}

  /** Arms the timer for the earliest prune time, but not sooner than `notBeforeMs` from now. */
  schedule(notBeforeMs = 0): void {
    this.stop();
    const due = caRoots(this.store, null)
      .roots.filter((r) => !r.Active && r.PruneAfter)
      .map((r) => Date.parse(r.PruneAfter!));
    if (!due.length) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(notBeforeMs, Math.min(...due) - Date.now()));
    this.timer = setTimeout(() => void this.prune(), delay);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async prune(): Promise<void> {
    this.timer = null;
    const now = Date.now();
    const ids = caRoots(this.store, null)
      .roots.filter((r) => !r.Active && r.PruneAfter && Date.parse(r.PruneAfter) <= now)
      .map((r) => r.ID);
    if (ids.length && this.isLeader()) {
      try {
        await this.store.apply({ type: 'ca.pruneRoots', IDs: ids });
        this.log.info({ roots: ids }, 'pruned rotated-out CA roots');
      } catch (err) {
        this.log.error({ err }, 'pruning CA roots failed');
      }
    }
    // Whatever is still due (a follower, a failed write) is tried again a minute later.
    this.schedule(RETRY_MS);
  }
}
