import { listNodes, listServiceRows, nodeKey, serviceInstances, NODES, type NodeRow } from '../../state/index.js';
import { instanceResources, ResultFilter } from '../acl-filter.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import { requestFilter } from '../query/filter.js';
import { nearSource, sortByNear } from '../query/near.js';
import { hasTags, nodeMetaFilter, satisfiesMeta, tagFilter } from '../query/catalog-params.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { arrayReply, nodeJson, serviceNodeJson, serviceNodeText } from '../shapes/catalog.js';
import { catalogNodeRoutes } from './catalog-node.js';
import { catalogWriteRoutes } from './catalog-write.js';

function nodes(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const filter = requestFilter(req);
  const meta = nodeMetaFilter(req);
  const source = nearSource(req, ctx);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = listNodes(ctx.store, ws);
    const acl = new ResultFilter(req, ctx);
    // ?filter first, then ACLs, as Consul does: the header then speaks only of nodes the caller asked for.
    let out = r.nodes.filter((n) => satisfiesMeta(n.Meta, meta) && (!filter || filter.matches(nodeJson(n))));
    out = out.filter((n) => acl.allows({ kind: 'node', name: n.Node }));
    const body = sortByNear(ctx.store, source, out, (n) => n.Node).map(nodeJson);
    return { index: r.index, reply: acl.reply({ body }) };
  });
}

/**
 * `{name: [tags]}` over every instance: tags de-duplicated in first-seen order (Consul's
 * order is a Go map's, i.e. random). `?filter` selects instances by their ServiceNode
 * fields (ServiceKind, ServiceTags, NodeMeta...) before they are grouped.
 */
function services(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const filter = requestFilter(req);
  const meta = nodeMetaFilter(req);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = listServiceRows(ctx.store, ws);
    const index = meta || filter ? ctx.store.tableIndex(ws, NODES) : 0;
    const nodeTable = ctx.store.table<NodeRow>(NODES);
    const tags = new Map<string, Set<string>>();
    const rows = [...r.services].sort((a, b) => (a.Node < b.Node ? -1 : a.Node > b.Node ? 1 : a.ID < b.ID ? -1 : 1));
    const acl = new ResultFilter(req, ctx);
    const readable = new Map<string, boolean>();
    for (const s of rows) {
      // One decision per name (Consul filters the name → tags map), whatever the number of instances.
      let ok = readable.get(s.Service);
      if (ok === undefined) readable.set(s.Service, (ok = acl.allows({ kind: 'service', name: s.Service })));
      if (!ok) continue;
      if (meta || filter) {
        const node = nodeTable.get(nodeKey(s.Node));
        if (!node || !satisfiesMeta(node.Meta, meta)) continue;
        if (filter && !filter.matches(serviceNodeJson(s, node))) continue;
      }
      let set = tags.get(s.Service);
      if (!set) tags.set(s.Service, (set = new Set()));
      for (const t of s.Tags) set.add(t);
    }
    const body: Record<string, string[]> = {};
    for (const name of [...tags.keys()].sort()) body[name] = [...tags.get(name)!];
    return { index: Math.max(r.index, index), reply: acl.reply({ body }) };
  });
}

/**
 * `/v1/catalog/service/:s` and `/v1/catalog/connect/:s`: `[]` (not 404) when there are none.
 * ACLs filter silently: an instance needs node:read and service:read; a connect lookup of a
 * service the token may not read answers `[]` at once, as Consul does.
 */
function serviceNodes(connect: boolean) {
  return (req: ApiRequest, ctx: ApiContext): Promise<Reply> => {
    const name = req.params.service ?? '';
    const filter = requestFilter(req);
    const meta = nodeMetaFilter(req);
    // Consul ignores ?tag on connect lookups.
    const tags = connect ? null : tagFilter(req);
    const source = nearSource(req, ctx);
    const hidden = connect && !ctx.authz.allows(req.token, { kind: 'service', name }, 'read');
    return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
      const r = serviceInstances(ctx.store, ws, name, { connect });
      const acl = new ResultFilter(req, ctx);
      let found = hidden ? [] : r.instances.filter(({ node, service }) => satisfiesMeta(node.Meta, meta) && hasTags(service.Tags, tags));
      if (filter) found = found.filter(({ node, service }) => filter.matches(serviceNodeJson(service, node)));
      found = found.filter(({ node, service }) => acl.allowsAll(...instanceResources(node.Node, service.Service)));
      found = sortByNear(ctx.store, source, found, (i) => i.node.Node);
      const reply = arrayReply(req.has('pretty'), found, (i) => serviceNodeJson(i.service, i.node), (i) => serviceNodeText(i.service, i.node));
      return { index: r.index, reply: acl.reply(reply) };
    });
  };
}

export const catalogRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/catalog/datacenters',
    name: 'catalog.datacenters',
    // Served without a leader, as Consul does: it is the local view of the WAN pool.
    handler: (_req, ctx) => ({ body: [ctx.agent.config.datacenter] }),
  },
  { method: 'GET', path: '/v1/catalog/nodes', name: 'catalog.nodes', handler: nodes },
  { method: 'GET', path: '/v1/catalog/services', name: 'catalog.services', handler: services },
  { method: 'GET', path: '/v1/catalog/service/:service', name: 'catalog.service', handler: serviceNodes(false) },
  { method: 'GET', path: '/v1/catalog/connect/:service', name: 'catalog.connect', handler: serviceNodes(true) },
  ...catalogNodeRoutes,
  ...catalogWriteRoutes,
];
