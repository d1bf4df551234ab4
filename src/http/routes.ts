import type { ApiContext } from './context.js';
import type { ApiRequest } from './request.js';
import type { Reply } from './reply.js';
import { agentRoutes } from './handlers/agent.js';
import { agentCheckRoutes } from './handlers/agent-checks.js';
import { agentControlRoutes } from './handlers/agent-control.js';
import { agentServiceRoutes } from './handlers/agent-services.js';
import { catalogRoutes } from './handlers/catalog.js';
import { coordinateRoutes } from './handlers/coordinate.js';
import { healthRoutes } from './handlers/health.js';
import { kvRoutes } from './handlers/kv.js';
import { sessionRoutes } from './handlers/session.js';
import { txnRoutes } from './handlers/txn.js';
import { eventRoutes } from './handlers/event.js';
import { statusRoutes } from './handlers/status.js';
import { internalUiRoutes } from './handlers/internal-ui.js';
import { connectCaRoutes } from './handlers/connect-ca.js';
import { agentConnectRoutes } from './handlers/agent-connect.js';
import { intentionRoutes } from './handlers/intentions.js';
import { configRoutes } from './handlers/config.js';
import { aclRoutes } from './handlers/acl.js';
import { proxySnapshotRoutes } from './handlers/proxy-snapshot.js';
import { discoveryChainRoutes } from './handlers/discovery-chain.js';
import { snapshotRoutes } from './handlers/snapshot.js';
import { operatorRoutes } from './handlers/operator.js';

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
  return [...statusRoutes, ...agentRoutes, ...agentServiceRoutes, ...agentCheckRoutes, ...agentControlRoutes, ...catalogRoutes, ...healthRoutes, ...coordinateRoutes, ...kvRoutes(ctx), ...sessionRoutes, ...txnRoutes(ctx), ...eventRoutes, ...internalUiRoutes, ...connectCaRoutes(ctx), ...agentConnectRoutes, ...intentionRoutes, ...configRoutes, ...aclRoutes, ...proxySnapshotRoutes, ...snapshotRoutes, ...operatorRoutes, ...discoveryChainRoutes];
}
