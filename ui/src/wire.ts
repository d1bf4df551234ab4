/** The parts of Consul's JSON answers the UI reads (field names as on the wire). */

export interface ServiceSummary {
  Kind?: string;
  Name: string;
  Datacenter: string;
  Tags: string[] | null;
  Nodes: string[] | null;
  InstanceCount: number;
  ChecksPassing: number;
  ChecksWarning: number;
  ChecksCritical: number;
  ConnectedWithProxy?: boolean;
  ConnectNative?: boolean;
}

export interface Check {
  Node: string;
  CheckID: string;
  Name: string;
  Status: string;
  Notes: string;
  Output: string;
  ServiceID: string;
  ServiceName: string;
  Type: string;
}

export interface NodeService {
  Kind?: string;
  ID: string;
  Service: string;
  Tags: string[] | null;
  Address: string;
  Port?: number;
  Meta: Record<string, string> | null;
  Proxy?: { DestinationServiceName?: string; Upstreams?: { DestinationName: string; LocalBindPort?: number }[] };
}

export interface CatalogNode {
  ID: string;
  Node: string;
  Address: string;
  Datacenter?: string;
  TaggedAddresses: Record<string, string> | null;
  Meta: Record<string, string> | null;
}

export interface HealthEntry {
  Node: CatalogNode;
  Service: NodeService;
  Checks: Check[];
}

export interface NodeInfo extends CatalogNode {
  Services: NodeService[];
  Checks: Check[];
}

export interface KVPair {
  Key: string;
  Value: string | null;
  Flags: number;
  Session?: string;
  LockIndex: number;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface IntentionPermission {
  Action: 'allow' | 'deny';
  HTTP?: { PathExact?: string; PathPrefix?: string; PathRegex?: string; Methods?: string[]; Header?: { Name: string; [op: string]: unknown }[] };
}

export interface Intention {
  ID?: string;
  Description?: string;
  SourceName: string;
  DestinationName: string;
  SourceType: string;
  Action?: 'allow' | 'deny';
  Permissions?: IntentionPermission[];
  Meta: Record<string, string> | null;
  Precedence: number;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface DecisionSummary {
  DefaultAllow: boolean;
  Allowed: boolean;
  HasPermissions: boolean;
  HasExact: boolean;
}

export interface TopologySummary extends ServiceSummary {
  Source: string;
  Intention: DecisionSummary;
}

export interface ServiceTopology {
  Protocol: string;
  TransparentProxy: boolean;
  Upstreams: TopologySummary[];
  Downstreams: TopologySummary[];
}

export interface ConfigEntry {
  Kind: string;
  Name: string;
  Meta?: Record<string, string>;
  CreateIndex?: number;
  ModifyIndex?: number;
  [field: string]: unknown;
}

export interface AgentSelf {
  Config: { Datacenter: string; NodeName: string; Version?: string };
}
