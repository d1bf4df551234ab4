/**
 * The typed shapes of the traffic-management kinds, as stored and served (Consul's JSON field
 * names). Durations are Go strings ("15s") except where Consul's JSON carries a bare
 * time.Duration (nanoseconds): PassiveHealthCheck.Interval/BaseEjectionTime and CookieConfig.TTL.
 */
import type { ConfigEntryInput } from './types.js';

export const SERVICE_ROUTER = 'service-router';
export const SERVICE_SPLITTER = 'service-splitter';
export const SERVICE_RESOLVER = 'service-resolver';

export interface MeshGatewayConfig {
  /** '' (inherit), 'none', 'local' or 'remote'. */
  Mode?: string;
}

export interface TransparentProxyConfig {
  OutboundListenerPort?: number;
  DialedDirectly?: boolean;
}

export interface ExposeConfig {
  Checks?: boolean;
  Paths?: { ListenerPort?: number; Path?: string; LocalPathPort?: number; Protocol?: string }[];
}

export interface HttpHeaderModifiers {
  Add?: Record<string, string>;
  Set?: Record<string, string>;
  Remove?: string[];
}

export interface UpstreamLimits {
  MaxConnections?: number;
  MaxPendingRequests?: number;
  MaxConcurrentRequests?: number;
}

export interface PassiveHealthCheck {
  /** Nanoseconds between ejection sweeps. */
  Interval?: number;
  MaxFailures?: number;
  EnforcingConsecutive5xx?: number;
  MaxEjectionPercent?: number;
  /** Nanoseconds an ejected host stays out (multiplied by the times it was ejected). */
  BaseEjectionTime?: number;
}

/** service-defaults UpstreamConfig.Defaults (no Name) or one of its Overrides (Name required). */
export interface UpstreamConfig {
  Name?: string;
  EnvoyListenerJSON?: string;
  EnvoyClusterJSON?: string;
  Protocol?: string;
  ConnectTimeoutMs?: number;
  Limits?: UpstreamLimits;
  PassiveHealthCheck?: PassiveHealthCheck;
  MeshGateway?: MeshGatewayConfig;
  BalanceOutboundConnections?: string;
}

export interface ServiceDefaultsEntry extends ConfigEntryInput {
  Protocol: string;
  Mode?: string;
  TransparentProxy: TransparentProxyConfig;
  MeshGateway: MeshGatewayConfig;
  Expose: ExposeConfig;
  ExternalSNI?: string;
  UpstreamConfig?: { Defaults?: UpstreamConfig; Overrides?: UpstreamConfig[] };
  Destination?: { Addresses?: string[]; Port?: number };
  MaxInboundConnections?: number;
  LocalConnectTimeoutMs?: number;
  LocalRequestTimeoutMs?: number;
  BalanceInboundConnections?: string;
}

export interface AccessLogsConfig {
  Enabled?: boolean;
  DisableListenerLogs?: boolean;
  /** '' (stdout), 'file', 'stdout' or 'stderr'. */
  Type?: string;
  Path?: string;
  JSONFormat?: string;
  TextFormat?: string;
}

export interface FailoverPolicy {
  Mode?: string;
  Regions?: string[];
}

export interface ProxyDefaultsEntry extends ConfigEntryInput {
  Config?: Record<string, unknown>;
  Mode?: string;
  TransparentProxy: TransparentProxyConfig;
  MeshGateway: MeshGatewayConfig;
  Expose: ExposeConfig;
  AccessLogs?: AccessLogsConfig;
  FailoverPolicy?: FailoverPolicy;
  MutualTLSMode?: string;
}

export interface HeaderMatch {
  Name: string;
  Present?: boolean;
  Exact?: string;
  Prefix?: string;
  Suffix?: string;
  Regex?: string;
  Invert?: boolean;
}

export interface QueryParamMatch {
  Name: string;
  Present?: boolean;
  Exact?: string;
  Regex?: string;
}

export interface RouteHttpMatch {
  PathExact?: string;
  PathPrefix?: string;
  PathRegex?: string;
  CaseInsensitive?: boolean;
  Header?: HeaderMatch[];
  QueryParam?: QueryParamMatch[];
  Methods?: string[];
}

export interface RouteDestination {
  Service?: string;
  ServiceSubset?: string;
  Namespace?: string;
  Partition?: string;
  PrefixRewrite?: string;
  RequestTimeout?: string;
  IdleTimeout?: string;
  /** A Weft addition: how long one attempt may take before it counts as failed (and may be retried). */
  PerTryTimeout?: string;
  NumRetries?: number;
  RetryOnConnectFailure?: boolean;
  RetryOn?: string[];
  RetryOnStatusCodes?: number[];
  RequestHeaders?: HttpHeaderModifiers;
  ResponseHeaders?: HttpHeaderModifiers;
}

export interface ServiceRoute {
  Match?: { HTTP?: RouteHttpMatch };
  Destination?: RouteDestination;
}

export interface ServiceRouterEntry extends ConfigEntryInput {
  Routes?: ServiceRoute[];
}

export interface ServiceSplit {
  Weight: number;
  Service?: string;
  ServiceSubset?: string;
  Namespace?: string;
  Partition?: string;
  RequestHeaders?: HttpHeaderModifiers;
  ResponseHeaders?: HttpHeaderModifiers;
}

export interface ServiceSplitterEntry extends ConfigEntryInput {
  Splits: ServiceSplit[];
}

export interface ResolverSubset {
  Filter?: string;
  OnlyPassing?: boolean;
}

export interface ResolverRedirect {
  Service?: string;
  ServiceSubset?: string;
  Namespace?: string;
  Partition?: string;
  Datacenter?: string;
  Peer?: string;
  SamenessGroup?: string;
}

export interface FailoverTarget {
  Service?: string;
  ServiceSubset?: string;
  Namespace?: string;
  Partition?: string;
  Datacenter?: string;
  Peer?: string;
}

export interface ResolverFailover {
  Service?: string;
  ServiceSubset?: string;
  Namespace?: string;
  Datacenters?: string[];
  Targets?: FailoverTarget[];
  Policy?: FailoverPolicy;
  SamenessGroup?: string;
}

export interface CookieConfig {
  Session?: boolean;
  /** Nanoseconds. */
  TTL?: number;
  Path?: string;
}

export interface HashPolicy {
  /** 'header', 'cookie' or 'query_parameter'; empty with SourceIP. */
  Field?: string;
  FieldValue?: string;
  CookieConfig?: CookieConfig;
  SourceIP?: boolean;
  Terminal?: boolean;
}

export interface LoadBalancer {
  /** '' (round_robin), 'round_robin', 'least_request', 'ring_hash', 'maglev' or 'random'. */
  Policy?: string;
  RingHashConfig?: { MinimumRingSize?: number; MaximumRingSize?: number };
  LeastRequestConfig?: { ChoiceCount?: number };
  HashPolicies?: HashPolicy[];
}

export interface ServiceResolverEntry extends ConfigEntryInput {
  DefaultSubset?: string;
  Subsets?: Record<string, ResolverSubset>;
  Redirect?: ResolverRedirect;
  Failover?: Record<string, ResolverFailover>;
  ConnectTimeout?: string;
  RequestTimeout?: string;
  LoadBalancer?: LoadBalancer;
}
