/**
 * Catalog rows, shaped as Consul's wire types so the API layer converts little.
 * Node names are case-insensitive in Consul: primary keys use the lower-cased name,
 * rows keep the name as registered.
 */
export type HealthStatus = 'passing' | 'warning' | 'critical' | 'maintenance';

export const NODES = 'nodes';
export const SERVICES = 'services';
export const CHECKS = 'checks';
/** Per-service and per-node modify indexes (`service.<name>`), so blocking queries on one service ignore others. */
export const INDEXES = 'catalog_indexes';

export interface NodeRow {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string>;
  Meta: Record<string, string>;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface ServiceAddress {
  Address: string;
  Port: number;
}

export interface Upstream {
  DestinationType?: string;
  DestinationNamespace?: string;
  DestinationPartition?: string;
  DestinationPeer?: string;
  DestinationName: string;
  Datacenter?: string;
  LocalBindAddress?: string;
  LocalBindPort?: number;
  LocalBindSocketPath?: string;
  LocalBindSocketMode?: string;
  Config?: Record<string, unknown>;
  MeshGateway?: { Mode?: string };
  CentrallyConfigured?: boolean;
}

export interface ServiceProxy {
  DestinationServiceName?: string;
  DestinationServiceID?: string;
  LocalServiceAddress?: string;
  LocalServicePort?: number;
  LocalServiceSocketPath?: string;
  Mode?: string;
  TransparentProxy?: Record<string, unknown>;
  Config?: Record<string, unknown>;
  Upstreams?: Upstream[];
  MeshGateway: { Mode?: string };
  Expose: { Checks?: boolean; Paths?: Record<string, unknown>[] };
  AccessLogs?: Record<string, unknown>;
}

/** One service instance on one node (Consul's ServiceNode minus the node fields). */
export interface ServiceRow {
  Node: string;
  Kind: '' | 'connect-proxy' | 'mesh-gateway' | 'terminating-gateway' | 'ingress-gateway' | 'api-gateway';
  ID: string;
  Service: string;
  Tags: string[];
  Address: string;
  TaggedAddresses: Record<string, ServiceAddress>;
  Meta: Record<string, string>;
  Port: number;
  SocketPath: string;
  Weights: { Passing: number; Warning: number };
  EnableTagOverride: boolean;
  Proxy: ServiceProxy;
  Connect: { Native?: boolean; SidecarService?: unknown };
  Locality?: { Region?: string; Zone?: string };
  CreateIndex: number;
  ModifyIndex: number;
}

export interface CheckRow {
  Node: string;
  CheckID: string;
  Name: string;
  Status: HealthStatus;
  Notes: string;
  Output: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[];
  Type: string;
  Interval: string;
  Timeout: string;
  ExposedPort: number;
  /** The check's definition as registered (HTTP, TCP, Args, TTL, ...), for tools like consul-esm. */
  Definition: Record<string, unknown>;
  CreateIndex: number;
  ModifyIndex: number;
}

/** The built-in node health check maintained by the servers from agent heartbeats. */
export const SERF_CHECK_ID = 'serfHealth';
export const SERF_CHECK_NAME = 'Serf Health Status';

export const nodeKey = (node: string): string => node.toLowerCase();
export const serviceKey = (node: string, serviceId: string): string => `${node.toLowerCase()}\u0000${serviceId}`;
export const checkKey = (node: string, checkId: string): string => `${node.toLowerCase()}\u0000${checkId}`;
