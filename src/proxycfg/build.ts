import { leafTopic, serviceSpiffeUri, type DefaultPolicy, type LeafCert } from '../connect/index.js';
import { caRoots, intentionMatch, nodeServices, serviceHealth, type ServiceRow, type StateStore, type WatchSet } from '../state/index.js';
import type { ProxyDefinition, UpstreamDefinition } from './definition.js';
import { healthyEndpoints, serviceSni, type ProxySnapshot, type SnapshotLeaf, type UpstreamEndpoint, type UpstreamSnapshot } from './wire.js';

/** Where a snapshot's live parts come from: the store, and this agent's leaf cache. */
export interface SnapshotSources {
  store: StateStore;
  datacenter: string;
  /** The node whose agent runs the proxy. */
  node: string;
  leaves: { current(service: string): LeafCert | undefined; get(service: string, token?: string): Promise<LeafCert> };
  defaultPolicy: DefaultPolicy;
  /** The caller's token, for issuing a leaf the cache does not have yet. */
  token: string;
}

/** A registered proxy's catalog row on its node; watching the node's services wakes on any change to it. */
export function proxyRegistration(store: StateStore, ws: WatchSet | null, node: string, proxyId: string): ServiceRow | undefined {
  return nodeServices(store, ws, node).services.find((s) => s.ID === proxyId);
}

/**
 * Builds one snapshot and reports the highest index of its parts. Every read adds its
 * topics to `ws`, so a blocking reader wakes on exactly the changes that can alter it:
 * the leaf being renewed, roots rotating, an intention for the service, an upstream
 * instance or check changing.
 */
export function buildSnapshot(src: SnapshotSources, ws: WatchSet, def: ProxyDefinition): { index: number; snapshot: ProxySnapshot } {
  const roots = caRoots(src.store, ws);
  const trustDomain = roots.trustDomain;
  let index = roots.index;

  ws.add(leafTopic(def.service));
  const cert = src.leaves.current(def.service);
  // The cache signals the topic once the new leaf is there; the waiting reader then rebuilds.
  if (!cert) src.leaves.get(def.service, src.token).catch(() => undefined);
  const leaf: SnapshotLeaf | null = cert
    ? { SerialNumber: cert.SerialNumber, CertPEM: cert.CertPEM, PrivateKeyPEM: cert.PrivateKeyPEM, ValidAfter: cert.ValidAfter, ValidBefore: cert.ValidBefore, ModifyIndex: cert.ModifyIndex }
    : null;
  if (cert) index = Math.max(index, cert.ModifyIndex);

  const intentions = intentionMatch(src.store, ws, 'destination', [def.service]);
  index = Math.max(index, intentions.index);

  const upstreams = def.upstreams.map((u) => {
    const r = upstreamSnapshot(src, ws, u, trustDomain);
    index = Math.max(index, r.index);
    return r.upstream;
  });

  const snapshot: ProxySnapshot = {
    Kind: 'connect-proxy',
    ProxyID: def.proxyId,
    Node: src.node,
    Datacenter: src.datacenter,
    TrustDomain: trustDomain,
    Service: def.service,
    ServiceID: def.serviceId,
    SpiffeID: trustDomain ? serviceSpiffeUri(trustDomain, src.datacenter, def.service) : '',
    PublicListener: def.listener && {
      BindAddress: def.listener.bindAddress,
      BindPort: def.listener.bindPort,
      LocalServiceAddress: def.listener.localAddress,
      LocalServicePort: def.listener.localPort,
      LocalConnectTimeoutMs: def.listener.localConnectTimeoutMs,
      HandshakeTimeoutMs: def.listener.handshakeTimeoutMs,
    },
    Leaf: leaf,
    Roots: { ActiveRootID: roots.activeRootId, RootPEMs: roots.roots.map((r) => r.RootCert) },
    Intentions: { Matches: intentions.matches[0], DefaultAllow: src.defaultPolicy.allow, DefaultReason: src.defaultPolicy.reason },
    Upstreams: upstreams,
    Config: def.config,
  };
  return { index, snapshot };
}

/**
 * An upstream's healthy endpoints (see healthyEndpoints: passing only, as Consul's
 * built-in proxy; a warning takes an instance out). Other datacenters and prepared queries resolve to
 * no endpoints: Weft has neither WAN federation nor prepared queries yet.
 */
function upstreamSnapshot(src: SnapshotSources, ws: WatchSet, u: UpstreamDefinition, trustDomain: string): { index: number; upstream: UpstreamSnapshot } {
  const datacenter = u.datacenter || src.datacenter;
  const local = datacenter === src.datacenter && u.DestinationType === 'service';
  let index = 0;
  let endpoints: UpstreamEndpoint[] = [];
  if (local) {
    const health = serviceHealth(src.store, ws, u.DestinationName, { connect: true });
    index = health.index;
    endpoints = healthyEndpoints(health.entries, trustDomain, src.datacenter);
  }
  return {
    index,
    upstream: {
      DestinationType: u.DestinationType,
      DestinationName: u.DestinationName,
      Datacenter: datacenter,
      LocalBindAddress: u.LocalBindAddress,
      LocalBindPort: u.LocalBindPort,
      ConnectTimeoutMs: u.connectTimeoutMs,
      SNI: trustDomain ? serviceSni(u.DestinationName, datacenter, trustDomain) : '',
      Endpoints: endpoints,
      Chain: null,
      Config: u.config,
    },
  };
}
