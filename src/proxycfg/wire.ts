import type { Intention } from '../api/connect.js';
import { serviceSpiffeUri } from '../connect/spiffe.js';
import type { CompiledDiscoveryChain } from '../discovery-chain/types.js';
import type { AccessLogsConfig, PassiveHealthCheck, UpstreamLimits } from '../state/config-entries/entry-types.js';

/**
 * The proxy snapshot as it travels: everything one proxy needs, in one typed value the
 * agent serves at `GET /v1/agent/weft/proxy-snapshot/:proxyId` (a blocking query). The
 * built-in proxy consumes it directly; an xDS server renders the same value for Envoy.
 *
 * This file has no runtime imports of the state store or the CA, so the proxy and the
 * SDK can import it without loading the control plane.
 */
export interface ProxySnapshot {
  Kind: 'connect-proxy';
  /** The proxy's service ID on its agent; '' for a proxy started with `-service` that is not registered. */
  ProxyID: string;
  Node: string;
  Datacenter: string;
  TrustDomain: string;
  /** The identity the proxy acts as: the destination service's name (Proxy.DestinationServiceName). */
  Service: string;
  ServiceID: string;
  /** `spiffe://<trust domain>/ns/default/dc/<dc>/svc/<Service>`. */
  SpiffeID: string;
  /** The mTLS listener in front of the local app; null when the proxy only has upstreams. */
  PublicListener: PublicListener | null;
  /** The service's certificate; null until the agent has one (the proxy then waits). */
  Leaf: SnapshotLeaf | null;
  Roots: SnapshotRoots;
  Intentions: SnapshotIntentions;
  Upstreams: UpstreamSnapshot[];
  /** The registration's opaque `Proxy.Config`. */
  Config: Record<string, unknown>;
  /** proxy-defaults `AccessLogs`: when enabled, the proxy writes one JSON line per request or connection. */
  AccessLogs: AccessLogsConfig | null;
}

export interface PublicListener {
  BindAddress: string;
  BindPort: number;
  LocalServiceAddress: string;
  LocalServicePort: number;
  /** Consul's `local_connect_timeout_ms` (1000). */
  LocalConnectTimeoutMs: number;
  /** Consul's `handshake_timeout_ms` (10000): how long an inbound client may take to finish TLS. */
  HandshakeTimeoutMs: number;
  /**
   * The local service's protocol (registration `Config.protocol`, else service-defaults, else
   * proxy-defaults, else tcp). http, http2 and grpc make the listener speak HTTP (h2 and
   * HTTP/1.1 by ALPN), so intentions with L7 permissions are checked per request.
   */
  Protocol: string;
  /** service-defaults `LocalRequestTimeoutMs`: how long the local app may take to answer (0 = no limit). */
  LocalRequestTimeoutMs: number;
  /** service-defaults `MaxInboundConnections` (0 = no limit). */
  MaxInboundConnections: number;
}

export interface SnapshotLeaf {
  SerialNumber: string;
  /** The leaf followed by the intermediates (during a rotation, the cross-signed root). */
  CertPEM: string;
  PrivateKeyPEM: string;
  ValidAfter: string;
  ValidBefore: string;
  ModifyIndex: number;
}

export interface SnapshotRoots {
  ActiveRootID: string;
  /** Every root to trust: during a rotation the old and the new one. */
  RootPEMs: string[];
}

/**
 * The intentions whose destination is this proxy's service (or `*`), in evaluation order:
 * the first one whose source matches a caller decides; none matching means the default.
 */
export interface SnapshotIntentions {
  Matches: Intention[];
  DefaultAllow: boolean;
  DefaultReason: string;
}

export interface UpstreamSnapshot {
  DestinationType: 'service' | 'prepared_query';
  DestinationName: string;
  Datacenter: string;
  LocalBindAddress: string;
  LocalBindPort: number;
  /** Consul's upstream `connect_timeout_ms` (10000). */
  ConnectTimeoutMs: number;
  /** The TLS server name the proxy sends: `<service>.default.<dc>.internal.<trust domain>`. */
  SNI: string;
  /**
   * Where a TCP upstream connects: the instances of the first target of the chain's start
   * resolver that has any (its own target, then its failover targets in order).
   */
  Endpoints: UpstreamEndpoint[];
  /** tcp, http, http2 or grpc: the chain's protocol. http-like upstreams are proxied per request. */
  Protocol: string;
  /** The compiled discovery chain with every target's instances; null for prepared queries. */
  Chain: UpstreamChainSnapshot | null;
  /** Circuit-breaker limits from service-defaults `UpstreamConfig` (the downstream's entry). */
  Limits: UpstreamLimits;
  /** Outlier detection from service-defaults `UpstreamConfig`; null = Weft's defaults. */
  PassiveHealthCheck: PassiveHealthCheck | null;
  Config: Record<string, unknown>;
}

export interface UpstreamChainSnapshot {
  Compiled: CompiledDiscoveryChain;
  /** By target ID, one for each of `Compiled.Targets`. */
  Targets: Record<string, TargetEndpoints>;
}

export interface TargetEndpoints {
  /** False for a target in another datacenter (no federation yet): routing skips it. */
  Reachable: boolean;
  /** Instances matching the subset and healthy for it (no critical check; with OnlyPassing, no warning). */
  Endpoints: UpstreamEndpoint[];
}

export interface UpstreamEndpoint {
  Node: string;
  ServiceID: string;
  Address: string;
  Port: number;
  /** The SPIFFE ID this instance must present; anything else is refused. */
  Identity: string;
  /** Service.Weights.Passing, or .Warning while a check warns (at least 1 when passing). */
  Weight: number;
}

/** The blocking endpoint, for a registered proxy; an unregistered one uses the same path without the ID. */
export const SNAPSHOT_PATH = '/v1/agent/weft/proxy-snapshot';

/** An upstream as `-upstream` names it: `name[.type]:[host:]port`. */
export interface UpstreamFlag {
  DestinationName: string;
  DestinationType: 'service' | 'prepared_query';
  LocalBindAddress: string;
  LocalBindPort: number;
}

/**
 * Parses Consul's `-upstream` value, e.g. `db:8181`, `db:127.0.0.10:8282`, `db.query:9000`.
 * Returns an error message (Consul's wording) instead of throwing, for both the CLI and the API.
 */
export function parseUpstreamFlag(value: string): UpstreamFlag | string {
  const idx = value.indexOf(':');
  if (idx === -1) return `Upstream value should be name:addr in ${JSON.stringify(value)}`;
  let name = value.slice(0, idx);
  let rest = value.slice(idx + 1);
  let address = '';
  const colon = rest.lastIndexOf(':');
  if (colon !== -1) {
    address = rest.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    rest = rest.slice(colon + 1);
  }
  let type: UpstreamFlag['DestinationType'] = 'service';
  const dot = name.indexOf('.');
  if (dot !== -1) {
    const t = name.slice(dot + 1);
    name = name.slice(0, dot);
    if (t === 'query') type = 'prepared_query';
    else if (t !== '' && t !== 'service') return `Upstream type must be blank, 'service', or 'query'. Got: ${JSON.stringify(t)}`;
  }
  if (!name) return `Upstream value should be name:addr in ${JSON.stringify(value)}`;
  const port = /^\d+$/.test(rest) ? Number(rest) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `invalid upstream port ${JSON.stringify(rest)} in ${JSON.stringify(value)}`;
  return { DestinationName: name, DestinationType: type, LocalBindAddress: address, LocalBindPort: port };
}

/** Consul's SNI for a service in the default namespace and partition (agent/connect/sni.go). */
export function serviceSni(service: string, datacenter: string, trustDomain: string): string {
  return `${service}.default.${datacenter}.internal.${trustDomain}`;
}

/** `host:port`, bracketing IPv6 literals. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The parts of a health entry (Consul's CheckServiceNode) an endpoint is made of; store rows and API answers both fit. */
export interface EndpointSource {
  Node: { Node: string; Address: string; Datacenter?: string };
  Service: {
    ID: string;
    Service: string;
    Kind?: string;
    Address: string;
    Port: number;
    Weights?: { Passing: number; Warning?: number };
    Proxy?: { DestinationServiceName?: string } | null;
    Connect?: { Native?: boolean } | null;
  };
  Checks: { Status: string }[];
}

/**
 * One health entry as a mesh endpoint: a proxy (identity: its destination service) or a
 * native instance (its own name), in its node's datacenter; undefined for anything else.
 * The weight is Weights.Warning while a check warns, else Weights.Passing; a weight of 0
 * leaves the instance out.
 */
export function meshEndpoint(e: EndpointSource, trustDomain: string, localDatacenter: string): UpstreamEndpoint | undefined {
  const s = e.Service;
  const name = s.Kind === 'connect-proxy' ? s.Proxy?.DestinationServiceName : !s.Kind && s.Connect?.Native ? s.Service : undefined;
  if (!name || s.Port < 1 || !trustDomain) return undefined;
  const warning = e.Checks.some((c) => c.Status === 'warning');
  const weight = warning ? (s.Weights?.Warning ?? 1) : (s.Weights?.Passing ?? 1);
  // Consul sends no traffic to an instance whose weight for its state is 0.
  if (weight <= 0) return undefined;
  return {
    Node: e.Node.Node,
    ServiceID: s.ID,
    Address: s.Address || e.Node.Address,
    Port: s.Port,
    Identity: serviceSpiffeUri(trustDomain, e.Node.Datacenter || localDatacenter, name),
    Weight: weight,
  };
}

/**
 * The mesh endpoints among health entries of `/v1/health/connect/:service` whose every check
 * passes, as Consul's built-in proxy resolves them (connect/resolver.go asks with `?passing`).
 */
export function healthyEndpoints(entries: readonly EndpointSource[], trustDomain: string, localDatacenter: string): UpstreamEndpoint[] {
  const out: UpstreamEndpoint[] = [];
  for (const e of entries) {
    if (!e.Checks.every((c) => c.Status === 'passing')) continue;
    const ep = meshEndpoint(e, trustDomain, localDatacenter);
    if (ep) out.push(ep);
  }
  return out;
}
