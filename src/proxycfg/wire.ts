import type { Intention } from '../api/connect.js';
import { serviceSpiffeUri } from '../connect/spiffe.js';

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
  /** Healthy instances (every check passing) of the destination's proxies and native instances. */
  Endpoints: UpstreamEndpoint[];
  /** The compiled discovery chain (routers, splitters, resolvers); null until L7 routing fills it. */
  Chain: null;
  Config: Record<string, unknown>;
}

export interface UpstreamEndpoint {
  Node: string;
  ServiceID: string;
  Address: string;
  Port: number;
  /** The SPIFFE ID this instance must present; anything else is refused. */
  Identity: string;
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
    Weights?: { Passing: number };
    Proxy?: { DestinationServiceName?: string } | null;
    Connect?: { Native?: boolean } | null;
  };
  Checks: { Status: string }[];
}

/**
 * The mesh endpoints among health entries of `/v1/health/connect/:service`: instances whose
 * every check passes, as Consul's built-in proxy resolves them (connect/resolver.go asks with
 * `?passing`), each with the identity it must present: a proxy's destination service, or a
 * native instance's own name, in its node's datacenter.
 */
export function healthyEndpoints(entries: readonly EndpointSource[], trustDomain: string, localDatacenter: string): UpstreamEndpoint[] {
  const out: UpstreamEndpoint[] = [];
  if (!trustDomain) return out;
  for (const e of entries) {
    if (!e.Checks.every((c) => c.Status === 'passing')) continue;
    const s = e.Service;
    const name = s.Kind === 'connect-proxy' ? s.Proxy?.DestinationServiceName : !s.Kind && s.Connect?.Native ? s.Service : undefined;
    if (!name || s.Port < 1) continue;
    out.push({
      Node: e.Node.Node,
      ServiceID: s.ID,
      Address: s.Address || e.Node.Address,
      Port: s.Port,
      Identity: serviceSpiffeUri(trustDomain, e.Node.Datacenter || localDatacenter, name),
      Weight: (s.Weights?.Passing ?? 1) > 0 ? (s.Weights?.Passing ?? 1) : 1,
    });
  }
  return out;
}
