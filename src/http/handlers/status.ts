import type { Route } from '../routes.js';

export const statusRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/status/leader',
    name: 'status.leader',
    handler: (_req, ctx) => ({ body: ctx.agent.leaderAddress() }),
  },
  {
    method: 'GET',
    path: '/v1/status/peers',
    name: 'status.peers',
    handler: (_req, ctx) => ({ body: ctx.agent.peers() }),
  },
];
