import type { Route } from '../../http/routes.js';
import { WeftError } from '../../lib/errors.js';
import type { StateStore } from '../../state/index.js';
import type { NodeSyncRequest } from '../anti-entropy.js';
import { applyNodeSync } from './catalog-sync.js';
import { CLUSTER_ROUTES, type HeartbeatRequest, type LeaveRequest } from './protocol.js';
import type { ClusterServer } from './server.js';

/** The serf LAN port's routes: membership traffic only. */
export function membershipRoutes(cluster: ClusterServer): Route[] {
  return [
    {
      method: 'PUT',
      path: CLUSTER_ROUTES.heartbeat,
      name: 'cluster.heartbeat',
      handler: async (req) => ({ body: cluster.heartbeat(((await req.json()) ?? {}) as HeartbeatRequest) }),
    },
    {
      method: 'PUT',
      path: CLUSTER_ROUTES.leave,
      name: 'cluster.leave',
      handler: async (req) => {
        const body = ((await req.json()) ?? {}) as Partial<LeaveRequest>;
        if (typeof body.Name !== 'string' || body.Name === '') throw new WeftError('BAD_REQUEST', 'leave: Name required');
        await cluster.leave(body.Name);
        return { body: true };
      },
    },
  ];
}

function assertSyncRequest(body: unknown): asserts body is NodeSyncRequest {
  const b = body as Partial<NodeSyncRequest> | undefined;
  if (!b || typeof b.Node?.Node !== 'string' || b.Node.Node === '' || !Array.isArray(b.Services) || !Array.isArray(b.Checks)) {
    throw new WeftError('BAD_REQUEST', 'sync: Node, Services and Checks required');
  }
}

/** Extra routes of the server RPC port, beside the whole HTTP API: a client's anti-entropy sync. */
export function rpcRoutes(store: StateStore, cluster: ClusterServer): Route[] {
  return [
    {
      method: 'PUT',
      path: CLUSTER_ROUTES.sync,
      name: 'catalog.sync',
      handler: async (req, ctx) => {
        const body = await req.json();
        assertSyncRequest(body);
        ctx.authz.check(req.token, { kind: 'node', name: body.Node.Node }, 'write');
        // A sync still in flight when its agent left must not bring the node back.
        if (cluster.hasLeft(body.Node.Node)) throw new WeftError('CONFLICT', `node ${body.Node.Node} has left the cluster`);
        return { body: await applyNodeSync(store, body) };
      },
    },
  ];
}
