import {
  CHECKS,
  NODES,
  SERVICES,
  nodeKey,
  type CheckRow,
  type HealthEntry,
  type NodeRow,
  type ServiceRow,
  type StateStore,
  type WatchSet,
} from '../../state/index.js';

/** Consul's `ServiceSummary` (agent/ui_endpoint.go): one service across all its instances. */
export interface ServiceSummary {
  Kind?: string;
  Name: string;
  Datacenter: string;
  Tags: string[] | null;
  Nodes: string[] | null;
  ExternalSources: string[] | null;
  InstanceCount: number;
  ChecksPassing: number;
  ChecksWarning: number;
  ChecksCritical: number;
  GatewayConfig: { AssociatedServiceCount?: number; Addresses?: string[] };
  TransparentProxy: boolean;
  ConnectNative: boolean;
}

const EXTERNAL_SOURCE = 'external-source';

/**
 * Every instance with its node checks and its own checks, read from whole tables at once
 * (one pass instead of one lookup per service). Depends on nodes, services and checks.
 */
export function serviceDump(store: StateStore, ws: WatchSet | null): { index: number; entries: HealthEntry[] } {
  const index = store.tableIndex(ws, NODES, SERVICES, CHECKS);
  const nodes = store.table<NodeRow>(NODES);
  const checksBy = new Map<string, CheckRow[]>();
  for (const c of store.table<CheckRow>(CHECKS).all()) {
    const k = `${nodeKey(c.Node)}\u0000${c.ServiceID}`;
    const list = checksBy.get(k);
    if (list) list.push(c);
    else checksBy.set(k, [c]);
  }
  const entries: HealthEntry[] = [];
  for (const service of store.table<ServiceRow>(SERVICES).all()) {
    const node = nodes.get(nodeKey(service.Node));
    if (!node) continue;
    const nk = nodeKey(node.Node);
    const checks = [...(checksBy.get(`${nk}\u0000`) ?? []), ...(checksBy.get(`${nk}\u0000${service.ID}`) ?? [])];
    entries.push({ Node: node, Service: service, Checks: checks });
  }
  return { index, entries };
}

interface Building extends ServiceSummary {
  checks: Map<string, CheckRow>;
  proxyModes: Set<string>;
}

/** A service with no instances counted yet. */
export function emptySummary(name: string): ServiceSummary {
  return {
    Name: name,
    Datacenter: '',
    Tags: null,
    Nodes: null,
    ExternalSources: null,
    InstanceCount: 0,
    ChecksPassing: 0,
    ChecksWarning: 0,
    ChecksCritical: 0,
    GatewayConfig: {},
    TransparentProxy: false,
    ConnectNative: false,
  };
}

function blank(name: string): Building {
  return { ...emptySummary(name), checks: new Map(), proxyModes: new Set() };
}

const pushUnique = (list: string[] | null, v: string): string[] => (list ? (list.includes(v) ? list : [...list, v]) : [v]);

/**
 * Consul's summarizeServices: instances grouped by service name. A service's check counts
 * cover each distinct check (node checks included) of its instances and of the proxies
 * that front them; `hasProxy` names the services some connect-proxy points at.
 */
export function summarizeServices(entries: readonly HealthEntry[]): { summaries: Map<string, ServiceSummary>; hasProxy: Set<string> } {
  const building = new Map<string, Building>();
  const hasProxy = new Set<string>();
  const get = (name: string): Building => {
    let b = building.get(name);
    if (!b) building.set(name, (b = blank(name)));
    return b;
  };
  const addChecks = (b: Building, node: string, checks: readonly CheckRow[]) => {
    for (const c of checks) b.checks.set(`${node}/${c.CheckID}`, c);
  };
  for (const { Node: node, Service: svc, Checks: checks } of entries) {
    const sum = get(svc.Service);
    sum.Nodes = pushUnique(sum.Nodes, node.Node);
    if (svc.Kind) sum.Kind = svc.Kind;
    else delete sum.Kind;
    sum.Datacenter = node.Datacenter;
    sum.InstanceCount += 1;
    if (svc.Connect?.Native) sum.ConnectNative = true;
    if (svc.Kind === 'connect-proxy' && svc.Proxy.DestinationServiceName) {
      const dest = get(svc.Proxy.DestinationServiceName);
      hasProxy.add(dest.Name);
      addChecks(dest, node.Node, checks);
      dest.proxyModes.add(svc.Proxy.Mode ?? '');
    }
    for (const t of svc.Tags) sum.Tags = pushUnique(sum.Tags, t);
    const source = svc.Meta?.[EXTERNAL_SOURCE];
    if (source) sum.ExternalSources = pushUnique(sum.ExternalSources, source);
    addChecks(sum, node.Node, checks);
  }
  const summaries = new Map<string, ServiceSummary>();
  for (const [name, b] of building) {
    const { checks, proxyModes, ...sum } = b;
    for (const c of checks.values()) {
      if (c.Status === 'passing') sum.ChecksPassing++;
      else if (c.Status === 'warning') sum.ChecksWarning++;
      else if (c.Status === 'critical') sum.ChecksCritical++;
    }
    // Transparent only when every proxy of the service is: the UI warns about the others.
    sum.TransparentProxy = proxyModes.size > 0 && [...proxyModes].every((m) => m === 'transparent');
    sum.Nodes?.sort();
    sum.Tags?.sort();
    summaries.set(name, sum);
  }
  return { summaries, hasProxy };
}

/** Summaries sorted by name, in Consul's field order; `excludeSidecars` keeps typical services and ingress gateways. */
export function sortedSummaries(summaries: Map<string, ServiceSummary>, excludeSidecars = false): ServiceSummary[] {
  return [...summaries.values()]
    .filter((s) => !excludeSidecars || !s.Kind || s.Kind === 'ingress-gateway')
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))
    .map(summaryJson);
}

export function summaryJson(s: ServiceSummary): ServiceSummary {
  const out: Partial<ServiceSummary> = {};
  if (s.Kind) out.Kind = s.Kind;
  return Object.assign(out, {
    Name: s.Name,
    Datacenter: s.Datacenter,
    Tags: s.Tags,
    Nodes: s.Nodes,
    ExternalSources: s.ExternalSources,
    InstanceCount: s.InstanceCount,
    ChecksPassing: s.ChecksPassing,
    ChecksWarning: s.ChecksWarning,
    ChecksCritical: s.ChecksCritical,
    GatewayConfig: s.GatewayConfig,
    TransparentProxy: s.TransparentProxy,
    ConnectNative: s.ConnectNative,
  });
}
