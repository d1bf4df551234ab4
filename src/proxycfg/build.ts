import { leafTopic, serviceSpiffeUri, type DefaultPolicy, type LeafCert } from '../connect/index.js';
import { compileChainForUpstream, resolveUpstreamConfig, watchedConfigView } from '../discovery-chain/index.js';
import {
  PROXY_DEFAULTS,
  PROXY_DEFAULTS_NAME,
  SERVICE_DEFAULTS,
  caRoots,
  configEntryGet,
  intentionMatch,
  nodeServices,
  serviceProtocol,
  type ProxyDefaultsEntry,
  type ServiceDefaultsEntry,
  type ServiceRow,
  type StateStore,
  type WatchSet,
} from '../state/index.js';
import type { ProxyDefinition, UpstreamDefinition } from './definition.js';
import { meshEndpoint, serviceSni, type ProxySnapshot, type SnapshotLeaf, type TargetEndpoints, type UpstreamChainSnapshot, type UpstreamEndpoint, type UpstreamSnapshot } from './wire.js';

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
    const r = upstreamSnapshot(src, ws, def.service, u, trustDomain);
    index = Math.max(index, r.index);
    return r.upstream;
  });

  const own = configEntryGet(src.store, ws, SERVICE_DEFAULTS, def.service);
  const defaults = own.entry as ServiceDefaultsEntry | undefined;
  const proxyDefaults = configEntryGet(src.store, ws, PROXY_DEFAULTS, PROXY_DEFAULTS_NAME);
  const accessLogs = (proxyDefaults.entry as ProxyDefaultsEntry | undefined)?.AccessLogs;
  index = Math.max(index, own.index, proxyDefaults.index);

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
      Protocol: protocolOf(def.config) || serviceProtocol(watchedConfigView(src.store, ws), def.service),
      LocalRequestTimeoutMs: defaults?.LocalRequestTimeoutMs ?? 0,
      MaxInboundConnections: defaults?.MaxInboundConnections ?? 0,
    },
    Leaf: leaf,
    Roots: { ActiveRootID: roots.activeRootId, RootPEMs: roots.roots.map((r) => r.RootCert) },
    Intentions: { Matches: intentions.matches[0], DefaultAllow: src.defaultPolicy.allow, DefaultReason: src.defaultPolicy.reason },
    Upstreams: upstreams,
    Config: def.config,
    AccessLogs: accessLogs?.Enabled ? accessLogs : null,
  };
  return { index, snapshot };
}

function protocolOf(config: Record<string, unknown>): string {
  const p = config.protocol;
  return typeof p === 'string' ? p.toLowerCase() : '';
}

function positiveNumber(config: Record<string, unknown>, key: string): number | undefined {
  const v = config[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * An upstream's compiled chain, every target's instances and the centralized upstream settings.
 * The registration's upstream `Config` (protocol, connect_timeout_ms) overrides the chain's,
 * as in Consul. A TCP upstream connects to the first target with instances: the start
 * resolver's own, then its failover targets. Prepared queries resolve to no endpoints:
 * Weft has no prepared queries yet.
 */
function upstreamSnapshot(src: SnapshotSources, ws: WatchSet, downstream: string, u: UpstreamDefinition, trustDomain: string): { index: number; upstream: UpstreamSnapshot } {
  const datacenter = u.datacenter || src.datacenter;
  const central = resolveUpstreamConfig(src.store, ws, downstream, u.DestinationName);
  let index = central.index;
  let chain: UpstreamChainSnapshot | null = null;
  if (u.DestinationType === 'service') {
    const compiled = compileChainForUpstream(src.store, ws, u.DestinationName, {
      localDatacenter: src.datacenter,
      datacenter: u.datacenter,
      overrideProtocol: protocolOf(u.config) || central.config.Protocol?.toLowerCase() || undefined,
      overrideConnectTimeoutMs: positiveNumber(u.config, 'connect_timeout_ms') ?? central.config.ConnectTimeoutMs,
    });
    index = Math.max(index, compiled.index);
    const targets: Record<string, TargetEndpoints> = {};
    for (const [id, t] of Object.entries(compiled.targets)) {
      const endpoints: UpstreamEndpoint[] = [];
      for (const e of t.entries) {
        const ep = meshEndpoint(e, trustDomain, src.datacenter);
        if (ep) endpoints.push(ep);
      }
      targets[id] = { Reachable: t.reachable, Endpoints: endpoints };
    }
    chain = { Compiled: compiled.chain, Targets: targets };
  }
  const tcp = chain ? tcpDestination(chain) : undefined;
  return {
    index,
    upstream: {
      DestinationType: u.DestinationType,
      DestinationName: u.DestinationName,
      Datacenter: datacenter,
      LocalBindAddress: u.LocalBindAddress,
      LocalBindPort: u.LocalBindPort,
      ConnectTimeoutMs: u.connectTimeoutMs,
      SNI: tcp?.sni ?? (trustDomain ? serviceSni(u.DestinationName, datacenter, trustDomain) : ''),
      Endpoints: tcp?.endpoints ?? [],
      Protocol: chain?.Compiled.Protocol ?? 'tcp',
      Chain: chain,
      Limits: central.config.Limits ?? {},
      PassiveHealthCheck: central.config.PassiveHealthCheck ?? null,
      Config: u.config,
    },
  };
}

/** The start resolver's target, else the first failover target with instances. */
function tcpDestination(chain: UpstreamChainSnapshot): { sni: string; endpoints: UpstreamEndpoint[] } | undefined {
  const start = chain.Compiled.Nodes[chain.Compiled.StartNode];
  const resolver = start?.Resolver;
  if (!resolver) return undefined;
  const ids = [resolver.Target, ...(resolver.Failover?.Targets ?? [])];
  const usable = ids.find((id) => (chain.Targets[id]?.Endpoints.length ?? 0) > 0) ?? resolver.Target;
  return { sni: chain.Compiled.Targets[usable]?.SNI ?? '', endpoints: chain.Targets[usable]?.Endpoints ?? [] };
}
