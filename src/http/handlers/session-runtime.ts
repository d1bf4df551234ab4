import { sessionRuntime, type SessionRuntime } from '../../sessions/index.js';
import type { ApiContext } from '../context.js';

/** This server's session TTL timers and lock-delay clocks (one set per store). */
export function serverSessions(ctx: ApiContext): SessionRuntime {
  return sessionRuntime(ctx.store, () => ctx.agent.isLeader(), ctx.log);
}
