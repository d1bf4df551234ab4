import type { Route } from '../../http/routes.js';
import { AclAuthorizer, tokenToWire } from '../../acl/index.js';
import type { ApiContext } from '../../http/index.js';
import { WeftError, isWeftError } from '../../lib/errors.js';
import type { StateStore } from '../../state/index.js';
import type { NodeSyncRequest } from '../anti-entropy.js';
import { applyNodeSync } from './catalog-sync.js';
import { vetNodeSync, type Allows } from './sync-acl.js';
import { CLUSTER_ROUTES, type HeartbeatRequest, type HeartbeatResponse, type LeaveRequest } from './protocol.js';
import type { ClusterServer } from './server.js';

/** Who answers membership traffic: the cluster server itself, or (shared store) the leader through this server. */
export interface MembershipHandler {
  heartbeat(req: HeartbeatRequest): HeartbeatResponse | Promise<HeartbeatResponse>;
  leave(name: string): Promise<void>;
}

/** The serf LAN port's routes: membership traffic only. */
export function membershipRoutes(members: MembershipHandler): Route[] {
  return [
    {
      method: 'PUT',
      path: CLUSTER_ROUTES.heartbeat,
      name: 'cluster.heartbeat',
      handler: async (req) => ({ body: await members.heartbeat(((await req.json()) ?? {}) as HeartbeatRequest) }),
    },
    {
      method: 'PUT',
      path: CLUSTER_ROUTES.leave,
      name: 'cluster.leave',
      handler: async (req) => {
        const body = ((await req.json()) ?? {}) as Partial<LeaveRequest>;
        if (typeof body.Name !== 'string' || body.Name === '') throw new WeftError('BAD_REQUEST', 'leave: Name required');
        await members.leave(body.Name);
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
        // The request carries the agent's token; each registration is checked with its own.
        ctx.authz.check(req.token, { kind: 'node', name: body.Node.Node }, 'write');
        // A sync still in flight when its agent left must not bring the node back.
        if (cluster.hasLeft(body.Node.Node)) throw new WeftError('CONFLICT', `node ${body.Node.Node} has left the cluster`);
        return { body: await applyNodeSync(store, vetNodeSync(body, req.token, allowsOrNot(ctx), store, ctx.log)) };
      },
    },
    {
      method: 'PUT',
      path: CLUSTER_ROUTES.aclResolve,
      name: 'acl.resolve',
      handler: async (req, ctx) => {
        if (!(ctx.authz instanceof AclAuthorizer)) throw Object.assign(new Error('ACL support disabled'), { http: 401, text: 'ACL support disabled' });
        const body = (await req.json()) as { SecretID?: unknown } | undefined;
        const secret = typeof body?.SecretID === 'string' ? body.SecretID : '';
        const token = secret ? ctx.authz.lookup(secret) : undefined;
        if (!token) throw new WeftError('ACL_NOT_FOUND', 'ACL not found');
        return { body: tokenToWire(token) };
      },
    },
  ];
}

/** A refusal, or a token the servers do not know, is a no. */
function allowsOrNot(ctx: ApiContext): Allows {
  return (token, resource, access) => {
    try {
      return ctx.authz.allows(token, resource, access);
    } catch (err) {
      if (isWeftError(err, 'ACL_NOT_FOUND') || isWeftError(err, 'PERMISSION_DENIED')) return false;
      throw err;
    }
  };
}
