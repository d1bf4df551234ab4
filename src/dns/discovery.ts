/**
 * What the DNS interface needs to know about the catalog, and nothing more. The router
 * depends only on this interface, so it is tested against an in-memory implementation
 * and runs against the state store in the agent.
 */

export type InstanceHealth = 'passing' | 'warning' | 'critical' | 'maintenance';

export interface DiscoveryNode {
  name: string;
  /** An IP address or a host name (external nodes). */
  address: string;
  datacenter: string;
  meta: Readonly<Record<string, string>>;
}

export interface DiscoveryService {
  name: string;
  /** '' when the instance uses its node's address. */
  address: string;
  port: number;
  tags: readonly string[];
  weights: { passing: number; warning: number };
}

export interface DiscoveryInstance {
  node: DiscoveryNode;
  service: DiscoveryService;
  /** Aggregated status of the node's checks and the instance's own checks. */
  health: InstanceHealth;
}

/** Which instances a name asks for: the service itself, what serves it through Connect, or its ingress gateways. */
export type InstanceRole = 'service' | 'connect' | 'ingress';

/** Local implementations answer at once; remote ones (a client agent asking its servers) return promises. */
export type Maybe<T> = T | Promise<T>;

export interface Discovery {
  /** The local datacenter: the only one this agent answers for. */
  readonly datacenter: string;
  /** A node by name, case-insensitively. */
  node(name: string): Maybe<DiscoveryNode | undefined>;
  /**
   * Every instance of a service in a role, healthy or not, in no particular order. The same
   * array comes back until the instances change (callers may cache what they derive from it).
   */
  instances(name: string, role: InstanceRole): Maybe<readonly DiscoveryInstance[]>;
  /** The first node whose address is this IP, given in canonical text (reverse lookups). */
  nodeByAddress(ip: string): Maybe<DiscoveryNode | undefined>;
  /** An instance registered with this IP as its own service address (reverse lookups). */
  instanceByAddress(ip: string): Maybe<DiscoveryInstance | undefined>;
  /** The nodes that serve the domain: the NS records of the zone. */
  servers(): Maybe<readonly DiscoveryNode[]>;
  /** The virtual IP transparent proxies use for a service, if it has one. */
  virtualIp(name: string): Maybe<string | undefined>;
}
