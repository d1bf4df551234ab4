import { getNode, listNodes, nodeServices, type StateStore, type WatchSet } from '../../state/index.js';
import { ResultFilter } from '../acl-filter.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import { requestFilter } from '../query/filter.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { nodeJson, nodeServiceJson } from '../shapes/catalog.js';

/**
 * Consul finds a node by name, else by a unique prefix (2+ characters) of its ID, so
 * `weft catalog services -node=<id>` works as it does with consul.
 */
function resolveNode(store: StateStore, ws: WatchSet, nameOrId: string): string {
  if (getNode(store, ws, nameOrId).node || nameOrId.length < 2) return nameOrId;
  const prefix = nameOrId.toLowerCase();
  const matches = listNodes(store, ws).nodes.filter((n) => n.ID && n.ID.toLowerCase().startsWith(prefix));
  return matches.length === 1 ? matches[0].Node : nameOrId;
}

/**
 * `/v1/catalog/node/:n`: `{Node, Services: {id: NodeService}}`, or `null` (200) for an unknown
 * node, as Consul answers — and for a node the token may not read (node:read), which is then
 * indistinguishable from one that does not exist. Services need service:read.
 */
function node(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const name = req.params.node ?? '';
  const filter = requestFilter(req);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = nodeServices(ctx.store, ws, resolveNode(ctx.store, ws, name));
    const acl = new ResultFilter(req, ctx);
    if (!r.node || !acl.allows({ kind: 'node', name: r.node.Node })) return { index: r.index, reply: acl.reply({ body: null }) };
    const services: Record<string, unknown> = {};
    for (const s of r.services) {
      if (!acl.allows({ kind: 'service', name: s.Service })) continue;
      const json = nodeServiceJson(s);
      if (!filter || filter.matches(json)) services[s.ID] = json;
    }
    return { index: r.index, reply: acl.reply({ body: { Node: nodeJson(r.node), Services: services } }) };
  });
}

/** `/v1/catalog/node-services/:n`: the list form; `{Node: null, Services: null}` for an unknown (or unreadable) node. */
function nodeServiceList(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const name = req.params.node ?? '';
  const filter = requestFilter(req);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = nodeServices(ctx.store, ws, resolveNode(ctx.store, ws, name));
    const acl = new ResultFilter(req, ctx);
    if (!r.node || !acl.allows({ kind: 'node', name: r.node.Node })) return { index: r.index, reply: acl.reply({ body: { Node: null, Services: null } }) };
    let services = r.services.filter((s) => acl.allows({ kind: 'service', name: s.Service })).map(nodeServiceJson);
    if (filter) services = services.filter((s) => filter.matches(s));
    return { index: r.index, reply: acl.reply({ body: { Node: nodeJson(r.node), Services: services } }) };
  });
}

export const catalogNodeRoutes: Route[] = [
  { method: 'GET', path: '/v1/catalog/node/:node', name: 'catalog.node', handler: node },
  { method: 'GET', path: '/v1/catalog/node-services/:node', name: 'catalog.node-services', handler: nodeServiceList },
];
