import { decideIntention, type DefaultPolicy, type IntentionDecision } from '../../connect/intentions/decide.js';
import {
  CONFIG_ENTRIES,
  configEntryGet,
  intentionList,
  serviceProtocol,
  storeConfigView,
  type HealthEntry,
  type StateStore,
  type WatchSet,
} from '../../state/index.js';
import { emptySummary, serviceDump, summarizeServices, summaryJson, type ServiceSummary } from './internal-ui-summary.js';

/** Consul's IntentionDecisionSummary: how a connection along one edge would be decided. */
export interface DecisionSummary {
  DefaultAllow: boolean;
  Allowed: boolean;
  HasPermissions: boolean;
  ExternalSource: string;
  HasExact: boolean;
}

export type TopologySource = 'proxy-registration' | 'routing-config';

export interface TopologySummary extends ServiceSummary {
  Source: TopologySource;
  Intention: DecisionSummary;
}

export interface ServiceTopology {
  Protocol: string;
  TransparentProxy: boolean;
  Upstreams: TopologySummary[];
  Downstreams: TopologySummary[];
  FilteredByACLs: boolean;
}

/**
 * The summary the topology picture needs (Consul's IntentionDecision with L7 permissions
 * counted as allowed: some requests may pass).
 */
function decisionSummary(decision: IntentionDecision, fallback: DefaultPolicy): DecisionSummary {
  const m = decision.matched;
  return {
    DefaultAllow: fallback.allow,
    Allowed: m ? (decision.hasPermissions ? true : decision.allowed) : fallback.allow,
    HasPermissions: decision.hasPermissions,
    ExternalSource: m?.Meta?.['external-source'] ?? '',
    HasExact: !!m && m.SourceName !== '*' && m.DestinationName !== '*',
  };
}

/** Services the routing config of `name` sends traffic to (router, splitter, resolver redirect and failover), transitively. */
export function routingTargets(store: StateStore, ws: WatchSet | null, name: string): Set<string> {
  const found = new Set<string>();
  const visit = (svc: string) => {
    const push = (target: unknown) => {
      if (typeof target === 'string' && target && !found.has(target) && target !== name) {
        found.add(target);
        visit(target);
      }
    };
    const router = configEntryGet(store, ws, 'service-router', svc).entry as { Routes?: { Destination?: { Service?: string } }[] } | undefined;
    for (const r of router?.Routes ?? []) push(r.Destination?.Service);
    const splitter = configEntryGet(store, ws, 'service-splitter', svc).entry as { Splits?: { Service?: string }[] } | undefined;
    for (const s of splitter?.Splits ?? []) push(s.Service);
    const resolver = configEntryGet(store, ws, 'service-resolver', svc).entry as
      | { Redirect?: { Service?: string }; Failover?: Record<string, { Service?: string; Targets?: { Service?: string }[] }> }
      | undefined;
    push(resolver?.Redirect?.Service);
    for (const f of Object.values(resolver?.Failover ?? {})) {
      push(f.Service);
      for (const t of f.Targets ?? []) push(t.Service);
    }
  };
  visit(name);
  return found;
}

function ingressServices(store: StateStore, ws: WatchSet | null, gateway: string): Set<string> {
  const entry = configEntryGet(store, ws, 'ingress-gateway', gateway).entry as { Listeners?: { Services?: { Name?: string }[] }[] } | undefined;
  return new Set((entry?.Listeners ?? []).flatMap((l) => (l.Services ?? []).map((s) => s.Name ?? '')).filter((n) => n && n !== '*'));
}

/**
 * Consul's ServiceTopology for a typical service or an ingress gateway: upstreams declared by its proxies (and the
 * services their routing config reaches), downstreams whose proxies declare it, each with
 * the intention decision along the edge. Unlike Consul, a declared upstream that has no
 * instance yet is still listed (with InstanceCount 0): a dangling upstream is worth seeing.
 */
export function serviceTopology(
  store: StateStore,
  ws: WatchSet | null,
  service: string,
  opts: { datacenter: string; fallback: DefaultPolicy; kind?: '' | 'ingress-gateway' },
): { index: number; topology: ServiceTopology } {
  const dump = serviceDump(store, ws);
  const intentions = intentionList(store, ws).intentions;
  const index = Math.max(dump.index, store.tableIndex(ws, CONFIG_ENTRIES));

  const proxiesOf = (name: string) => dump.entries.filter((e) => e.Service.Kind === 'connect-proxy' && e.Service.Proxy.DestinationServiceName === name);
  const upstreamNames = (proxies: HealthEntry[]) =>
    new Set(proxies.flatMap((e) => (e.Service.Proxy.Upstreams ?? []).filter((u) => (u.DestinationType ?? 'service') === 'service').map((u) => u.DestinationName)));

  const ownProxies = proxiesOf(service);
  // An ingress gateway has no sidecar: its upstreams are the services its listeners expose.
  const declared = opts.kind === 'ingress-gateway' ? ingressServices(store, ws, service) : upstreamNames(ownProxies);
  const viaRouting = new Set<string>();
  for (const up of declared) for (const t of routingTargets(store, ws, up)) if (!declared.has(t)) viaRouting.add(t);

  const downstreams = new Set<string>();
  for (const e of dump.entries) {
    if (e.Service.Kind !== 'connect-proxy' || !e.Service.Proxy.DestinationServiceName) continue;
    if ((e.Service.Proxy.Upstreams ?? []).some((u) => (u.DestinationType ?? 'service') === 'service' && u.DestinationName === service)) {
      downstreams.add(e.Service.Proxy.DestinationServiceName);
    }
  }

  const summarize = (names: Set<string>, source: TopologySource, decide: (other: string) => DecisionSummary): TopologySummary[] => {
    const { summaries } = summarizeServices(dump.entries.filter((e) => names.has(e.Service.Service) || names.has(e.Service.Proxy.DestinationServiceName ?? '')));
    return [...names]
      .sort()
      .map((name) => {
        const s = summaries.get(name) ?? { ...emptySummary(name), Datacenter: opts.datacenter };
        return { ...summaryJson(s), Source: source, Intention: decide(name) };
      });
  };
  const decide = (src: string, dst: string) => decisionSummary(decideIntention(intentions, src, dst, opts.fallback), opts.fallback);

  const ownProxyModes = new Set(ownProxies.map((e) => e.Service.Proxy.Mode ?? ''));
  return {
    index,
    topology: {
      Protocol: serviceProtocol(storeConfigView(store), service),
      TransparentProxy: ownProxyModes.size > 0 && [...ownProxyModes].every((m) => m === 'transparent'),
      Upstreams: [...summarize(declared, 'proxy-registration', (u) => decide(service, u)), ...summarize(viaRouting, 'routing-config', (u) => decide(service, u))],
      Downstreams: summarize(downstreams, 'proxy-registration', (d) => decide(d, service)),
      FilteredByACLs: false,
    },
  };
}
