import { connectRuntime, type ConnectRuntime } from '../../connect/index.js';
import { subsystem } from '../../lib/log.js';
import { WeftError } from '../../lib/errors.js';
import type { ApiContext } from '../context.js';

/** This server's Connect runtime (CA and leaf cache), or null when `connect.enabled = false`. */
export function maybeConnect(ctx: ApiContext): ConnectRuntime | null {
  return connectRuntime(ctx.store, { config: ctx.agent.config, isLeader: () => ctx.agent.isLeader(), log: subsystem(ctx.log, 'connect') });
}

/** The runtime for an endpoint that needs Connect; Consul's error when it is off. */
export function serverConnect(ctx: ApiContext): ConnectRuntime {
  const rt = maybeConnect(ctx);
  if (!rt) throw new WeftError('INTERNAL', 'Connect must be enabled in order to use this endpoint');
  return rt;
}
