import { defaultIntentionPolicy } from '../../connect/intentions/default-policy.js';
import { WeftError } from '../../lib/errors.js';
import { CHECKS, NODES, SERVICES, configEntryList, configKindIndex, listNodes, nodeKey, type CheckRow, type NodeRow, type ServiceRow, type StateStore, type WatchSet } from '../../state/index.js';
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
    const entries = dump.entries.filter(
      (e) =>
        ctx.authz.allows(req.token, { kind: 'service', name: e.Service.Service }, 'read') &&
        ctx.authz.allows(req.token, { kind: 'node', name: e.Node.Node }, 'read') &&
        (!filter || filter.matches(healthEntryJson(e))),
    );
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
    return { index: Math.max(dump.index, gatewayIndex), reply: { body } };
  });
}

/** Consul's NodeInfo: the node with its services and every check on it. */
function nodeInfo(store: StateStore, node: NodeRow): Record<string, unknown> {
  const nk = nodeKey(node.Node);
  const services = [...store.table<ServiceRow>(SERVICES).by('node', nk)].sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
  const checks = [...store.table<CheckRow>(CHECKS).by('node', nk)].sort((a, b) => (a.CheckID < b.CheckID ? -1 : a.CheckID > b.CheckID ? 1 : 0));
  const { CreateIndex: _c, ModifyIndex: _m, Datacenter: _d, ...fields } = nodeJson(node) as Record<string, unknown>;
  return { ...fields, Services: services.map(nodeServiceJson), Checks: checks.map(healthCheckJson) };
}

function nodes(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const filter = requestFilter(req);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const index = ctx.store.tableIndex(ws, NODES, SERVICES, CHECKS);
    let body = listNodes(ctx.store, null)
      .nodes.filter((n) => ctx.authz.allows(req.token, { kind: 'node', name: n.Node }, 'read'))
      .map((n) => nodeInfo(ctx.store, n));
    if (filter) body = body.filter((n) => filter.matches(n));
    return { index, reply: { body } };
  });
}

/** One node's NodeInfo; an unknown node is a 404 with an empty body, as Consul answers. */
function node(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const name = req.params.node ?? '';
  if (!name) throw new WeftError('BAD_REQUEST', 'Missing node name');
  ctx.authz.check(req.token, { kind: 'node', name }, 'read');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const index = ctx.store.tableIndex(ws, NODES, SERVICES, CHECKS);
    const row = ctx.store.table<NodeRow>(NODES).get(nodeKey(name));
    return { index, reply: row ? { body: nodeInfo(ctx.store, row) } : { status: 404 } };
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
    return { index: r.index, reply: { body: r.topology } };
  });
}

export const internalUiRoutes: Route[] = [
  { method: 'GET', path: '/v1/internal/ui/services', name: 'internal.ui.services', handler: services },
  { method: 'GET', path: '/v1/internal/ui/nodes', name: 'internal.ui.nodes', handler: nodes },
  { method: 'GET', path: '/v1/internal/ui/node/:node', name: 'internal.ui.node', handler: node },
  { method: 'GET', path: '/v1/internal/ui/service-topology/:service', name: 'internal.ui.service-topology', handler: topology },
];
