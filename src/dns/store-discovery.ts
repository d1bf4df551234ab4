import { NODES, aggregateStatus, getNode, listNodes, listServiceRows, nodeKey, serviceHealth, WatchSet, type NodeRow, type StateStore } from '../state/index.js';
import { canonicalIp } from './ip.js';
import type { Discovery, DiscoveryInstance, DiscoveryNode, InstanceRole } from './discovery.js';

const MAX_CACHED_NAMES = 4096;
const CONSUL_SERVICE = 'consul';
const VIRTUAL_ADDRESS_TAG = 'consul-virtual';

interface Cached {
  instances: readonly DiscoveryInstance[];
  unsubscribe: () => void;
}

export interface StoreDiscoveryOptions {
  datacenter: string;
  /** This agent as a node: the name server of last resort when no `consul` service is registered. */
  self: () => DiscoveryNode;
}

function toNode(row: NodeRow): DiscoveryNode {
  return { name: row.Node, address: row.Address, datacenter: row.Datacenter, meta: row.Meta };
}

/**
 * Discovery over the state store. Instance lists are built once per service and kept until
 * a write touches that service's watch topics, so a busy name costs one map lookup per query.
 */
export class StoreDiscovery implements Discovery {
  readonly datacenter: string;
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly store: StateStore,
    private readonly options: StoreDiscoveryOptions,
  ) {
    this.datacenter = options.datacenter;
  }

  node(name: string): DiscoveryNode | undefined {
    const row = getNode(this.store, null, name).node;
    return row ? toNode(row) : undefined;
  }

  instances(name: string, role: InstanceRole): readonly DiscoveryInstance[] {
    // Ingress gateways expose services through ingress-gateway config entries, which the store does not hold yet.
    if (role === 'ingress') return [];
    const key = `${role}\u0000${name.toLowerCase()}`;
    const hit = this.cache.get(key);
    if (hit) return hit.instances;
    const ws = new WatchSet();
    const { entries } = serviceHealth(this.store, ws, name, { connect: role === 'connect' });
    const instances = entries.map(
      (e): DiscoveryInstance => ({
        node: toNode(e.Node),
        service: {
          name: e.Service.Service,
          address: e.Service.Address,
          port: e.Service.Port,
          tags: e.Service.Tags,
          weights: { passing: e.Service.Weights.Passing, warning: e.Service.Weights.Warning },
        },
        health: aggregateStatus(e.Checks),
      }),
    );
    const unsubscribe = this.store.hub.subscribe(ws.topics, () => this.forget(key));
    if (this.cache.size >= MAX_CACHED_NAMES) this.forget(this.cache.keys().next().value as string);
    this.cache.set(key, { instances, unsubscribe });
    return instances;
  }

  nodeByAddress(ip: string): DiscoveryNode | undefined {
    for (const row of listNodes(this.store, null).nodes) if (canonicalIp(row.Address) === ip) return toNode(row);
    return undefined;
  }

  instanceByAddress(ip: string): DiscoveryInstance | undefined {
    for (const s of listServiceRows(this.store, null).services) {
      if (!s.Address || canonicalIp(s.Address) !== ip) continue;
      const node = this.store.table<NodeRow>(NODES).get(nodeKey(s.Node));
      if (!node) continue;
      return {
        node: toNode(node),
        service: { name: s.Service, address: s.Address, port: s.Port, tags: s.Tags, weights: { passing: s.Weights.Passing, warning: s.Weights.Warning } },
        health: 'passing',
      };
    }
    return undefined;
  }

  servers(): readonly DiscoveryNode[] {
    const healthy = this.instances(CONSUL_SERVICE, 'service').filter((i) => i.health === 'passing' || i.health === 'warning');
    if (healthy.length > 0) return healthy.map((i) => i.node);
    return [this.options.self()];
  }

  virtualIp(name: string): string | undefined {
    for (const e of serviceHealth(this.store, null, name).entries) {
      const tagged = e.Service.TaggedAddresses[VIRTUAL_ADDRESS_TAG];
      if (tagged?.Address) return tagged.Address;
    }
    return undefined;
  }

  /** Drops every cached list and its subscriptions (the server is closing). */
  clear(): void {
    for (const key of [...this.cache.keys()]) this.forget(key);
  }

  private forget(key: string): void {
    const entry = this.cache.get(key);
    if (!entry) return;
    this.cache.delete(key);
    entry.unsubscribe();
  }
}
