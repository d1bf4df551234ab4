import type { Logger } from 'pino';
import type { StateStore } from '../state/index.js';
import { LockDelays } from './lock-delays.js';
import { SessionTimers } from './ttl-timers.js';

export { LockDelays } from './lock-delays.js';
export { SessionTimers, SESSION_TTL_MULTIPLIER } from './ttl-timers.js';

/** The in-memory companions of the session tables that a server keeps: TTL timers and lock-delay clocks. */
export interface SessionRuntime {
  timers: SessionTimers;
  lockDelays: LockDelays;
  stop(): void;
}

const runtimes = new WeakMap<StateStore, SessionRuntime>();

/**
 * The one runtime per store, created on first use (the API routes ask for it when the agent
 * starts, which arms the timers of sessions restored from disk). Timers never keep the
 * process alive; `stop` ends them when the store closes.
 */
export function sessionRuntime(store: StateStore, isLeader: () => boolean, log: Logger): SessionRuntime {
  let rt = runtimes.get(store);
  if (!rt) {
    const timers = new SessionTimers(store, isLeader, log);
    const lockDelays = new LockDelays(store);
    rt = {
      timers,
      lockDelays,
      stop() {
        timers.stop();
        lockDelays.stop();
        runtimes.delete(store);
      },
    };
    runtimes.set(store, rt);
  }
  return rt;
}

/** Ends a store's session timers, if any were started (the agent calls this when it stops). */
export function stopSessionRuntime(store: StateStore): void {
  runtimes.get(store)?.stop();
}
