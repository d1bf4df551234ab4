import { WeftError } from '../../lib/errors.js';
import { checksInState, nodeChecks, nodeKey, serviceChecks, serviceHealth, NODES, type CheckRow, type HealthStatus, type NodeRow, type WatchSet } from '../../state/index.js';
import { checkResources, instanceResources, ResultFilter } from '../acl-filter.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import { boolParam, hasTags, nodeMetaFilter, satisfiesMeta, tagFilter } from '../query/catalog-params.js';
import { requestFilter } from '../query/filter.js';
import { nearSource, sortByNear } from '../query/near.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { arrayReply, healthCheckJson, healthEntryJson, healthEntryText } from '../shapes/catalog.js';

const STATES = new Set(['any', 'passing', 'warning', 'critical']);

/** Checks in catalog order, narrowed by ?node-meta (which makes the answer depend on nodes too), ACLs and ?filter. */
function checkList(req: ApiRequest, ctx: ApiContext, read: (ws: WatchSet) => { index: number; checks: CheckRow[] }, opts: { meta?: boolean; near?: boolean } = {}): Promise<Reply> {
  const filter = requestFilter(req);
  const meta = opts.meta ? nodeMetaFilter(req) : null;
  const source = opts.near ? nearSource(req, ctx) : null;
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = read(ws);
    let index = r.index;
    const acl = new ResultFilter(req, ctx);
    let checks = r.checks.filter((c) => acl.allowsAll(...checkResources(c.Node, c.ServiceName)));
    if (meta) {
      index = Math.max(index, ctx.store.tableIndex(ws, NODES));
      const nodes = ctx.store.table<NodeRow>(NODES);
      checks = checks.filter((c) => {
        const n = nodes.get(nodeKey(c.Node));
        return !!n && satisfiesMeta(n.Meta, meta);
      });
    }
    checks = sortByNear(ctx.store, source, checks, (c) => c.Node);
    let body = checks.map(healthCheckJson);
    if (filter) body = body.filter((c) => filter.matches(c));
    return { index, reply: acl.reply({ body }) };
  });
}

function nodeHealth(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const node = req.params.node ?? '';
  return checkList(req, ctx, (ws) => nodeChecks(ctx.store, ws, node));
}

function serviceCheckList(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const service = req.params.service ?? '';
  return checkList(req, ctx, (ws) => serviceChecks(ctx.store, ws, service), { meta: true, near: true });
}

/**
 * `/v1/health/state/:state`: Fabio watches `any`. Consul answers `[]` for a state it does
 * not know; Weft answers 400 so a typo (`/v1/health/state/passng`) is not mistaken for "none".
 */
function inState(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const state = req.params.state ?? '';
  if (!STATES.has(state)) throw new WeftError('BAD_REQUEST', `Invalid check state "${state}": must be any, passing, warning or critical`);
  return checkList(req, ctx, (ws) => checksInState(ctx.store, ws, state as HealthStatus | 'any'), { meta: true, near: true });
}

/**
 * `/v1/health/service/:s` and `/v1/health/connect/:s`: each instance with its node and its
 * checks. `?passing` keeps instances whose every check passes; `?tag` (repeatable) requires
 * every tag (ignored on connect, as in Consul); `?filter` selects on the entry's
 * Node/Service/Checks fields.
 */
function serviceNodes(connect: boolean) {
  return (req: ApiRequest, ctx: ApiContext): Promise<Reply> => {
    const name = req.params.service ?? '';
    const filter = requestFilter(req);
    const meta = nodeMetaFilter(req);
    const tags = connect ? null : tagFilter(req);
    const passing = boolParam(req, 'passing');
    const source = nearSource(req, ctx);
    // A connect lookup of a service the token may not read answers [] at once, as Consul does.
    const hidden = connect && !ctx.authz.allows(req.token, { kind: 'service', name }, 'read');
    return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
      const r = serviceHealth(ctx.store, ws, name, { connect });
      const acl = new ResultFilter(req, ctx);
      let entries = hidden
        ? []
        : r.entries.filter(
            (e) =>
              (!passing || e.Checks.every((c) => c.Status === 'passing')) &&
              satisfiesMeta(e.Node.Meta, meta) &&
              hasTags(e.Service.Tags, tags) &&
              acl.allowsAll(...instanceResources(e.Node.Node, e.Service.Service)),
          );
      entries = sortByNear(ctx.store, source, entries, (e) => e.Node.Node);
      if (filter) entries = entries.filter((e) => filter.matches(healthEntryJson(e)));
      return { index: r.index, reply: acl.reply(arrayReply(req.has('pretty'), entries, healthEntryJson, healthEntryText)) };
    });
  };
}

export const healthRoutes: Route[] = [
  { method: 'GET', path: '/v1/health/node/:node', name: 'health.node', handler: nodeHealth },
  { method: 'GET', path: '/v1/health/checks/:service', name: 'health.checks', handler: serviceCheckList },
  { method: 'GET', path: '/v1/health/state/:state', name: 'health.state', handler: inState },
  { method: 'GET', path: '/v1/health/service/:service', name: 'health.service', handler: serviceNodes(false) },
  { method: 'GET', path: '/v1/health/connect/:service', name: 'health.connect', handler: serviceNodes(true) },
];
