import type { Route } from '../routes.js';

export const catalogRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/catalog/datacenters',
    name: 'catalog.datacenters',
    // Served without a leader, as Consul does: it is the local view of the WAN pool.
    handler: (_req, ctx) => ({ body: [ctx.agent.config.datacenter] }),
  },
];
