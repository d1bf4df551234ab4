import { WeftError } from '../../lib/errors.js';
import type { Route } from '../routes.js';

/**
 * `/v1/operator/raft/configuration`: the servers sharing the cluster's state. With the
 * embedded store that is this server; on etcd, every server registered there (each with
 * a lease, so a dead one drops out within the lease TTL). The leader is the one holding
 * Weft's leader key; etcd's own members and their raft are etcd's business (`etcdctl member list`).
 */
export const operatorRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/operator/raft/configuration',
    name: 'operator.raft.configuration',
    handler: (req, ctx) => {
      ctx.authz.check(req.token, { kind: 'operator' }, 'read');
      const servers = ctx.agent.raftServers();
      if (!req.has('stale') && !servers.some((s) => s.Leader)) throw new WeftError('NO_LEADER', 'No cluster leader');
      return { body: { Servers: servers, Index: ctx.store.index }, index: ctx.store.index };
    },
  },
];
