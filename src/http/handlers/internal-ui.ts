import { defaultIntentionPolicy } from '../../connect/intentions/default-policy.js';
import { WeftError } from '../../lib/errors.js';
import { CHECKS, NODES, SERVICES, configEntryList, configKindIndex, listNodes, nodeKey, type CheckRow, type NodeRow, type ServiceRow, type StateStore, type WatchSet } from '../../state/index.js';
import { checkResources, instanceResources, ResultFilter } from '../acl-filter.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import { requestFilter } from '../query/filter.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { healthCheckJson, healthEntryJson, nodeJson, nodeServiceJson } from '../shapes/catalog.js';
import { serviceDump, sortedSummaries, summarizeServices } from './internal-ui-summary.js';
import { serviceTopology } from './internal-ui-topology.js';

/**
 * The endpoints Consul's web UI reads (agent/ui_endpoint.go): whole-catalog summaries in one
 * answer each, so a page needs one blocking query instead of one per service or node.
 */

/** Gateway → services it fronts, from ingress and terminating gateway config entries (Consul's GatewayServices). */
function gatewayLinks(store: StateStore, ws: WatchSet): { gateway: string; service: string }[] {
  const links: { gateway: string; service: string }[] = [];
  for (const e of configEntryList(store, ws, 'ingress-gateway').entries as { Name: string; Listeners?: { Services?: { Name?: string }[] }[] }[]) {
    for (const l of e.Listeners ?? []) for (const s of l.Services ?? []) if (s.Name && s.Name !== '*') links.push({ gateway: e.Name, service: s.Name });
  }
  for (const e of configEntryList(store, ws, 'terminating-gateway').entries as { Name: string; Services?: { Name?: string }[] }[]) {
    for (const s of e.Services ?? []) if (s.Name && s.Name !== '*') links.push({ gateway: e.Name, service: s.Name });
  }
  return links;
}

/** `/v1/internal/ui/services`: Consul's ServiceListingSummary per service, proxies included (the UI hides them). */
function services(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const filter = requestFilter(req);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const dump = serviceDump(ctx.store, ws);
    const acl = new ResultFilter(req, ctx);
    const entries = dump.entries.filter((e) => acl.allowsAll(...instanceResources(e.Node.Node, e.Service.Service)) && (!filter || filter.matches(healthEntryJson(e))));
    const { summaries, hasProxy } = summarizeServices(entries);
    const links = gatewayLinks(ctx.store, ws);
    const gatewaysOf = new Map<string, string[]>();
    const linkedCount = new Map<string, number>();
    for (const l of links) {
      gatewaysOf.set(l.service, [...(gatewaysOf.get(l.service) ?? []), l.gateway]);
      linkedCount.set(l.gateway, (linkedCount.get(l.gateway) ?? 0) + 1);
    }
    const body = sortedSummaries(summaries).map((s) => {
      const count = linkedCount.get(s.Name);
      return {
        ...s,
        GatewayConfig: count ? { ...s.GatewayConfig, AssociatedServiceCount: count } : s.GatewayConfig,
        ConnectedWithProxy: hasProxy.has(s.Name),
        ConnectedWithGateway: s.InstanceCount > 0 && (gatewaysOf.get(s.Name) ?? []).some((g) => summaries.has(g)),
      };
    });
    const gatewayIndex = Math.max(configKindIndex(ctx.store, 'ingress-gateway'), configKindIndex(ctx.store, 'terminating-gateway'));
    return { index: Math.max(dump.index, gatewayIndex), reply: acl.reply({ body }) };
  });
}

/** Consul's NodeInfo: the node with its services and every check on it, less those the token may not read (filterNodeDump). */
function nodeInfo(store: StateStore, node: NodeRow, acl: ResultFilter): Record<string, unknown> {
  const nk = nodeKey(node.Node);
  const services = [...store.table<ServiceRow>(SERVICES).by('node', nk)]
    .filter((s) => acl.allows({ kind: 'service', name: s.Service }))
    .sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
  const checks = [...store.table<CheckRow>(CHECKS).by('node', nk)]
    .filter((c) => acl.allowsAll(...checkResources(c.Node, c.ServiceName)))
    .sort((a, b) => (a.CheckID < b.CheckID ? -1 : a.CheckID > b.CheckID ? 1 : 0));
  const { CreateIndex: _c, ModifyIndex: _m, Datacenter: _d, ...fields } = nodeJson(node) as Record<string, unknown>;
  return { ...fields, Services: services.map(nodeServiceJson), Checks: checks.map(healthCheckJson) };
}

function nodes(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const filter = requestFilter(req);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const index = ctx.store.tableIndex(ws, NODES, SERVICES, CHECKS);
    const acl = new ResultFilter(req, ctx);
    let body = listNodes(ctx.store, null)
      .nodes.filter((n) => acl.allows({ kind: 'node', name: n.Node }))
      .map((n) => nodeInfo(ctx.store, n, acl));
    if (filter) body = body.filter((n) => filter.matches(n));
    return { index, reply: acl.reply({ body }) };
  });
}

/** One node's NodeInfo; an unknown node is a 404 with an empty body, as Consul answers — and so is one the token may not read. */
function node(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const name = req.params.node ?? '';
  if (!name) throw new WeftError('BAD_REQUEST', 'Missing node name');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const index = ctx.store.tableIndex(ws, NODES, SERVICES, CHECKS);
    const row = ctx.store.table<NodeRow>(NODES).get(nodeKey(name));
    const acl = new ResultFilter(req, ctx);
    if (!row || !acl.allows({ kind: 'node', name: row.Node })) return { index, reply: acl.reply({ status: 404 }) };
    return { index, reply: acl.reply({ body: nodeInfo(ctx.store, row, acl) }) };
  });
}

/** `?kind=` is required (empty for a typical service); Consul draws topology for typical services and ingress gateways. */
function topology(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const name = req.params.service ?? '';
  if (!name) throw new WeftError('BAD_REQUEST', 'Missing service name');
  if (!req.has('kind')) throw new WeftError('BAD_REQUEST', 'Missing service kind');
  const kind = req.get('kind') ?? '';
  if (kind !== '' && kind !== 'ingress-gateway') throw new WeftError('BAD_REQUEST', `Unsupported service kind "${kind}"`);
  ctx.authz.check(req.token, { kind: 'service', name }, 'read');
  const fallback = defaultIntentionPolicy(ctx.agent.config);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = serviceTopology(ctx.store, ws, name, { datacenter: ctx.agent.config.datacenter, fallback, kind });
    // Upstreams and downstreams the token may not read drop out, and the answer says so (FilteredByACLs).
    const acl = new ResultFilter(req, ctx);
    const keep = <T extends { Name: string }>(list: T[]) => list.filter((s) => acl.allows({ kind: 'service', name: s.Name }));
    const topology = { ...r.topology, Upstreams: keep(r.topology.Upstreams), Downstreams: keep(r.topology.Downstreams) };
    topology.FilteredByACLs = acl.filtered;
    return { index: r.index, reply: acl.reply({ body: topology }) };
  });
}

export const internalUiRoutes: Route[] = [
  { method: 'GET', path: '/v1/internal/ui/services', name: 'internal.ui.services', handler: services },
  { method: 'GET', path: '/v1/internal/ui/nodes', name: 'internal.ui.nodes', handler: nodes },
  { method: 'GET', path: '/v1/internal/ui/node/:node', name: 'internal.ui.node', handler: node },
  { method: 'GET', path: '/v1/internal/ui/service-topology/:service', name: 'internal.ui.service-topology', handler: topology },
];
