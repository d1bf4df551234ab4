import type { StateStore } from '../store.js';
import type { WatchSet } from '../watch.js';
import type { IndexRow } from './tables.js';
import { CHECKS, INDEXES, NODES, SERVICES, nodeKey, type CheckRow, type HealthStatus, type NodeRow, type ServiceRow } from './types.js';
import { connectIndexKey, connectTopic, nodeTopic, serviceIndexKey, serviceTopic } from './write.js';

/** One instance with its node and every check that decides its health (Consul's CheckServiceNode). */
export interface HealthEntry {
  Node: NodeRow;
  Service: ServiceRow;
  Checks: CheckRow[];
}

const byName = (a: { Node: string }, b: { Node: string }) => (a.Node < b.Node ? -1 : a.Node > b.Node ? 1 : 0);

/** The index of one service's answers: its own modify index, else the catalog's. */
function serviceIndex(store: StateStore, key: string): number {
  const row = store.table<IndexRow>(INDEXES).get(key);
  return Math.max(row?.Value ?? store.tableIndex(null, NODES, SERVICES), 1);
}

export function listNodes(store: StateStore, ws: WatchSet | null): { index: number; nodes: NodeRow[] } {
  const index = store.tableIndex(ws, NODES);
  // Sorted by (case-insensitive) name, as Consul lists nodes.
  return { index, nodes: [...store.table<NodeRow>(NODES).withPrefix('')] };
}

export function getNode(store: StateStore, ws: WatchSet | null, node: string): { index: number; node?: NodeRow } {
  const index = store.tableIndex(ws, NODES);
  return { index, node: store.table<NodeRow>(NODES).get(nodeKey(node)) };
}

export function listServiceRows(store: StateStore, ws: WatchSet | null): { index: number; services: ServiceRow[] } {
  const index = store.tableIndex(ws, SERVICES);
  return { index, services: [...store.table<ServiceRow>(SERVICES).all()] };
}

/** Instances of one service (or, with `connect`, the proxies and native instances serving it), sorted by node. */
export function serviceInstances(
  store: StateStore,
  ws: WatchSet | null,
  name: string,
  opts: { connect?: boolean } = {},
): { index: number; instances: { node: NodeRow; service: ServiceRow }[] } {
  const lower = name.toLowerCase();
  ws?.add(opts.connect ? connectTopic(lower) : serviceTopic(lower));
  const index = serviceIndex(store, opts.connect ? connectIndexKey(lower) : serviceIndexKey(lower));
  const nodes = store.table<NodeRow>(NODES);
  const instances: { node: NodeRow; service: ServiceRow }[] = [];
  for (const service of store.table<ServiceRow>(SERVICES).by(opts.connect ? 'connect' : 'service', lower)) {
    const node = nodes.get(nodeKey(service.Node));
    if (node) instances.push({ node, service });
  }
  instances.sort((a, b) => byName(a.node, b.node) || (a.service.ID < b.service.ID ? -1 : a.service.ID > b.service.ID ? 1 : 0));
  return { index, instances };
}

/** Health entries of one service: each instance with its node checks and its own checks. */
export function serviceHealth(
  store: StateStore,
  ws: WatchSet | null,
  name: string,
  opts: { connect?: boolean } = {},
): { index: number; entries: HealthEntry[] } {
  const { index, instances } = serviceInstances(store, ws, name, opts);
  const checks = store.table<CheckRow>(CHECKS);
  const entries = instances.map(({ node, service }) => {
    const nk = nodeKey(node.Node);
    const list: CheckRow[] = [...checks.by('node_service', `${nk}\u0000`), ...checks.by('node_service', `${nk}\u0000${service.ID}`)];
    return { Node: node, Service: service, Checks: list };
  });
  return { index, entries };
}

export function nodeServices(
  store: StateStore,
  ws: WatchSet | null,
  node: string,
): { index: number; node?: NodeRow; services: ServiceRow[] } {
  ws?.add(nodeTopic(node));
  const index = store.tableIndex(ws, NODES, SERVICES);
  const row = store.table<NodeRow>(NODES).get(nodeKey(node));
  const services = row ? [...store.table<ServiceRow>(SERVICES).by('node', nodeKey(node))].sort((a, b) => (a.ID < b.ID ? -1 : 1)) : [];
  return { index, node: row, services };
}

export function nodeChecks(store: StateStore, ws: WatchSet | null, node: string): { index: number; checks: CheckRow[] } {
  const index = store.tableIndex(ws, CHECKS);
  return { index, checks: sortChecks([...store.table<CheckRow>(CHECKS).by('node', nodeKey(node))]) };
}

export function serviceChecks(store: StateStore, ws: WatchSet | null, name: string): { index: number; checks: CheckRow[] } {
  const index = store.tableIndex(ws, CHECKS);
  return { index, checks: sortChecks([...store.table<CheckRow>(CHECKS).by('service', name.toLowerCase())]) };
}

export function checksInState(store: StateStore, ws: WatchSet | null, state: HealthStatus | 'any'): { index: number; checks: CheckRow[] } {
  const index = store.tableIndex(ws, CHECKS);
  const table = store.table<CheckRow>(CHECKS);
  return { index, checks: sortChecks(state === 'any' ? [...table.all()] : [...table.by('status', state)]) };
}

function sortChecks(checks: CheckRow[]): CheckRow[] {
  return checks.sort((a, b) => byName(a, b) || (a.CheckID < b.CheckID ? -1 : a.CheckID > b.CheckID ? 1 : 0));
}

/** Consul's aggregated status: maintenance > critical > warning > passing. */
export function aggregateStatus(checks: readonly CheckRow[]): HealthStatus {
  let worst: HealthStatus = 'passing';
  for (const c of checks) {
    if (c.CheckID === '_node_maintenance' || c.CheckID.startsWith('_service_maintenance:')) return 'maintenance';
    if (c.Status === 'critical') worst = 'critical';
    else if (c.Status === 'warning' && worst === 'passing') worst = 'warning';
  }
  return worst;
}
