import { coordDistance, coordOf, getNode, listNodes, type StateStore } from '../../state/index.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';

/**
 * `?near=`: the node answers are sorted from. `_agent` is this agent's node, `_ip` the node
 * whose address is the caller's (X-Forwarded-For first, as Consul does), anything else a
 * node name. Null when not given or not a catalog node: the answer keeps its order.
 */
export function nearSource(req: ApiRequest, ctx: ApiContext): string | null {
  const near = req.get('near');
  if (!near) return null;
  if (near === '_agent') return ctx.agent.config.nodeName;
  if (near === '_ip') {
    const forwarded = req.raw.headers['x-forwarded-for'];
    const ip = (typeof forwarded === 'string' && forwarded.split(',')[0].trim()) || req.raw.socket.remoteAddress?.replace(/^::ffff:/, '') || '';
    return listNodes(ctx.store, null).nodes.find((n) => n.Address === ip)?.Node ?? null;
  }
  return getNode(ctx.store, null, near).node?.Node ?? null;
}

/**
 * Sorts by estimated round-trip time from `source` (Serf's coordinate distance), stably, so
 * equal distances keep the catalog's order. The source node itself always comes first; a
 * node without a stored coordinate counts as the origin, so until coordinates are stored
 * the answer is the source node first and everything else in catalog order.
 */
export function sortByNear<T>(store: StateStore, source: string | null, items: T[], nodeOf: (item: T) => string): T[] {
  if (!source || items.length < 2) return items;
  const from = coordOf(store, source);
  const self = source.toLowerCase();
  const distances = new Map<string, number>();
  const distance = (node: string): number => {
    const key = node.toLowerCase();
    let d = distances.get(key);
    if (d === undefined) {
      d = key === self ? -1 : coordDistance(from, coordOf(store, node));
      distances.set(key, d);
    }
    return d;
  };
  return items.map((item, i) => ({ item, i, d: distance(nodeOf(item)) })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.item);
}
