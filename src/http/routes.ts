import type { ApiContext } from './context.js';
import type { ApiRequest } from './request.js';
import type { Reply } from './reply.js';
import { agentRoutes } from './handlers/agent.js';
import { catalogRoutes } from './handlers/catalog.js';
import { kvRoutes } from './handlers/kv.js';
import { statusRoutes } from './handlers/status.js';

export interface Route {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  /** Stable label for metrics and logs. */
  name: string;
  handler: (req: ApiRequest, ctx: ApiContext) => Promise<Reply> | Reply;
  /** Overrides the server's body limit (KV values have their own). */
  maxBody?: number;
}

/** Every endpoint the API serves, in one table. */
export function routes(ctx: ApiContext): Route[] {
  return [...statusRoutes, ...agentRoutes, ...catalogRoutes, ...kvRoutes(ctx)];
}
