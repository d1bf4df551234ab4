import { canonicalIp } from './ip.js';
import type { Discovery, DiscoveryInstance, DiscoveryNode, InstanceRole } from './discovery.js';

/**
 * Discovery from plain in-memory lists: for tests of the router and for tools that
 * answer DNS from a fixed record set without a store.
 */
export class MemoryDiscovery implements Discovery {
  private readonly nodes = new Map<string, DiscoveryNode>();
  private readonly byRole: Record<InstanceRole, Map<string, DiscoveryInstance[]>> = {
    service: new Map(),
    connect: new Map(),
    ingress: new Map(),
  };
  private readonly virtualIps = new Map<string, string>();
  private serverNodes: DiscoveryNode[] = [];

  constructor(readonly datacenter = 'dc1') {}

  addNode(node: DiscoveryNode): DiscoveryNode {
    this.nodes.set(node.name.toLowerCase(), node);
    return node;
  }

  /** Adds an instance serving `name` in `role` (for `connect` and `ingress`, `name` is the service reached). */
  addInstance(instance: DiscoveryInstance, role: InstanceRole = 'service', name = instance.service.name): void {
    this.addNode(instance.node);
    // A new list, not a mutated one: readers may keep derived data keyed by the list they got.
    const list = this.byRole[role].get(name.toLowerCase()) ?? [];
    this.byRole[role].set(name.toLowerCase(), [...list, instance]);
  }

  setServers(nodes: DiscoveryNode[]): void {
    this.serverNodes = nodes;
  }

  setVirtualIp(service: string, ip: string): void {
    this.virtualIps.set(service.toLowerCase(), ip);
  }

  node(name: string): DiscoveryNode | undefined {
    return this.nodes.get(name.toLowerCase());
  }

  instances(name: string, role: InstanceRole): readonly DiscoveryInstance[] {
    return this.byRole[role].get(name.toLowerCase()) ?? [];
  }

  nodeByAddress(ip: string): DiscoveryNode | undefined {
    for (const n of this.nodes.values()) if (canonicalIp(n.address) === ip) return n;
    return undefined;
  }

  instanceByAddress(ip: string): DiscoveryInstance | undefined {
    for (const list of this.byRole.service.values()) for (const i of list) if (i.service.address && canonicalIp(i.service.address) === ip) return i;
    return undefined;
  }

  servers(): readonly DiscoveryNode[] {
    return this.serverNodes;
  }

  virtualIp(name: string): string | undefined {
    return this.virtualIps.get(name.toLowerCase());
  }
}
