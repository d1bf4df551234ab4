/**
 * The compiled discovery chain in Consul's JSON shape (agent/structs/discovery_chain.go), as
 * `/v1/discovery-chain/:service` serves it and the proxy snapshot carries it. Node and target
 * names are opaque within one compilation, but follow Consul's scheme so tools that print
 * them show familiar names: `router:web.default.default`, `splitter:web.default.default`,
 * `resolver:v1.web.default.default.dc1`.
 */
import type {
  FailoverPolicy,
  LoadBalancer,
  MeshGatewayConfig,
  ResolverSubset,
  ServiceRoute,
  ServiceSplit,
} from '../state/index.js';

export type NodeType = 'router' | 'splitter' | 'resolver';

export interface DiscoveryRoute {
  /** The route as written in the service-router (the catch-all route last, made up). */
  Definition: ServiceRoute;
  NextNode: string;
}

export interface DiscoverySplit {
  /** The split as written; after flattening nested splitters, with the parents' header changes merged in. */
  Definition: ServiceSplit;
  /** The effective share in percent (two decimals): nested splitters multiply. */
  Weight: number;
  NextNode: string;
}

export interface DiscoveryFailover {
  /** Target IDs tried in order when the primary target has no healthy endpoint. */
  Targets: string[];
  Policy?: FailoverPolicy;
}

export interface DiscoveryResolver {
  /** True when no service-resolver entry shaped this node (a synthesized default). */
  Default?: boolean;
  /** Go duration ("5s"; 5s unless the resolver or an override says otherwise). */
  ConnectTimeout: string;
  /** Nanoseconds, as Consul's JSON carries it; absent = the proxy's default (15 s). */
  RequestTimeout?: number;
  Target: string;
  Failover?: DiscoveryFailover;
}

export interface DiscoveryGraphNode {
  Type: NodeType;
  Name: string;
  Routes?: DiscoveryRoute[];
  Splits?: DiscoverySplit[];
  Resolver?: DiscoveryResolver;
  /** On resolvers: the resolver's policy; on splitters: the first hash-based policy of their legs. */
  LoadBalancer?: LoadBalancer;
}

export interface DiscoveryTarget {
  /** `[<subset>.]<service>.<namespace>.<partition>.<datacenter>`. */
  ID: string;
  Service: string;
  ServiceSubset?: string;
  Namespace: string;
  Partition: string;
  Datacenter: string;
  MeshGateway: MeshGatewayConfig;
  /** The subset's filter (over health entries) and whether only passing instances count. */
  Subset: ResolverSubset;
  TransparentProxy: { DialedDirectly?: boolean };
  ConnectTimeout: string;
  /** True when service-defaults ExternalSNI points outside the mesh. */
  External?: boolean;
  /** `[<subset>.]<service>.default.<datacenter>.internal.<trust domain>`, or the ExternalSNI. */
  SNI: string;
  /** The SNI form of the ID; unaffected by ExternalSNI, so stable for naming balancers. */
  Name: string;
}

export interface CompiledDiscoveryChain {
  ServiceName: string;
  Namespace: string;
  Partition: string;
  Datacenter: string;
  /** Set when request overrides changed the result; data-plane objects built from it must not be shared with the plain chain. */
  CustomizationHash?: string;
  /** True for a chain of one synthesized resolver for the service itself. */
  Default?: boolean;
  /** tcp, http, http2 or grpc: one protocol for the whole chain. */
  Protocol: string;
  ServiceMeta?: Record<string, string>;
  StartNode: string;
  Nodes: Record<string, DiscoveryGraphNode>;
  Targets: Record<string, DiscoveryTarget>;
}

export interface CompileRequest {
  serviceName: string;
  /** The datacenter the chain is evaluated in (the caller's, or an upstream's `datacenter`). */
  datacenter: string;
  /** `<cluster id>.consul`, for target SNIs. */
  trustDomain: string;
  /** Forces the chain's protocol; a non-HTTP protocol drops routers and splitters. */
  overrideProtocol?: string;
  /** Replaces every resolver's connect timeout (milliseconds; 0 = no override). */
  overrideConnectTimeoutMs?: number;
  /** Replaces every target's mesh gateway mode. */
  overrideMeshGateway?: MeshGatewayConfig;
}
