/**
 * Resolver nodes: a target followed through its resolver's redirect and default subset to the
 * target that is actually dialed, with its connect timeout, subset filter, mesh gateway mode
 * and failover targets.
 */
import { formatDuration, parseDuration } from '../lib/duration.js';
import {
  PROXY_DEFAULTS,
  PROXY_DEFAULTS_NAME,
  SERVICE_DEFAULTS,
  SERVICE_RESOLVER,
  type MeshGatewayConfig,
  type ProxyDefaultsEntry,
  type ResolverFailover,
  type ResolverSubset,
  type ServiceDefaultsEntry,
  type ServiceResolverEntry,
} from '../state/index.js';
import type { ChainCompiler } from './compile.js';
import { graphError } from './graph-error.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, type TargetKey } from './target.js';
import type { DiscoveryGraphNode } from './types.js';

/** A target while the chain compiles; targetJson() gives its Consul shape. */
export interface ChainTarget extends TargetKey {
  id: string;
  connectTimeoutMs: number;
  subsetDef: ResolverSubset;
  meshGateway: MeshGatewayConfig;
  dialedDirectly?: boolean;
  external: boolean;
  sni: string;
  name: string;
}

function isDefaultResolver(r: ServiceResolverEntry): boolean {
  return (
    !r.DefaultSubset &&
    !Object.keys(r.Subsets ?? {}).length &&
    !r.Redirect &&
    !Object.keys(r.Failover ?? {}).length &&
    !r.ConnectTimeout &&
    !r.RequestTimeout &&
    !r.LoadBalancer
  );
}

function resolverEntry(c: ChainCompiler, service: string): ServiceResolverEntry {
  return (c.view.get(SERVICE_RESOLVER, service) as ServiceResolverEntry | undefined) ?? { Kind: SERVICE_RESOLVER, Name: service };
}

function proxyDefaults(c: ChainCompiler): ProxyDefaultsEntry | undefined {
  return c.view.get(PROXY_DEFAULTS, PROXY_DEFAULTS_NAME) as ProxyDefaultsEntry | undefined;
}

/** Follows redirects and the default subset; a redirect that comes back to a target seen before is a loop. */
function resolveTarget(c: ChainCompiler, start: ChainTarget): { target: ChainTarget; resolver: ServiceResolverEntry; cached?: DiscoveryGraphNode } {
  const history: string[] = [];
  let target = start;
  for (;;) {
    const cached = c.resolveNodes.get(target.id);
    if (cached) return { target, resolver: resolverEntry(c, target.service), cached };
    c.recordServiceProtocol(target.service);
    const resolver = resolverEntry(c, target.service);
    if (history.includes(target.id)) throw graphError(`detected circular resolver redirect: [${[...history, target.id].join(' -> ')}]`);
    history.push(target.id);
    const r = resolver.Redirect;
    if (r) {
      const redirected = c.rewriteTarget(target, { service: r.Service, subset: r.ServiceSubset, datacenter: r.Datacenter });
      if (redirected.id !== target.id) {
        target = redirected;
        continue;
      }
    }
    if (!target.subset && resolver.DefaultSubset) {
      target = c.rewriteTarget(target, { subset: resolver.DefaultSubset });
      continue;
    }
    return { target, resolver };
  }
}

function applyServiceDefaults(c: ChainCompiler, target: ChainTarget, resolver: ServiceResolverEntry): void {
  const sd = c.view.get(SERVICE_DEFAULTS, target.service) as ServiceDefaultsEntry | undefined;
  if (sd?.ExternalSNI) {
    target.sni = sd.ExternalSNI;
    target.external = true;
    const s = JSON.stringify(target.service);
    if (resolver.Redirect) throw graphError(`service ${s} has an external SNI set; cannot define redirects for external services`);
    if (Object.keys(resolver.Subsets ?? {}).length) throw graphError(`service ${s} has an external SNI set; cannot define subsets for external services`);
    if (Object.keys(resolver.Failover ?? {}).length) throw graphError(`service ${s} has an external SNI set; cannot define failover for external services`);
    // External services are dialed directly, never through a mesh gateway.
    target.meshGateway = {};
    return;
  }
  const pd = proxyDefaults(c);
  target.meshGateway = { ...(sd?.MeshGateway ?? {}) };
  target.dialedDirectly = sd?.TransparentProxy?.DialedDirectly || pd?.TransparentProxy?.DialedDirectly || undefined;
  if (!target.meshGateway.Mode && pd?.MeshGateway?.Mode) target.meshGateway.Mode = pd.MeshGateway.Mode;
  const override = c.req.overrideMeshGateway?.Mode;
  if (override && target.meshGateway.Mode !== override) {
    target.meshGateway.Mode = override;
    c.customized.meshGateway = true;
  }
}

function failoverTargets(c: ChainCompiler, target: ChainTarget, f: ResolverFailover): ChainTarget[] {
  let candidates: ChainTarget[];
  if (f.Datacenters?.length) candidates = f.Datacenters.map((dc) => c.rewriteTarget(target, { service: f.Service, subset: f.ServiceSubset, datacenter: dc }));
  else if (f.Targets?.length) candidates = f.Targets.map((t) => c.rewriteTarget(target, { service: t.Service, subset: t.ServiceSubset, datacenter: t.Datacenter }));
  else candidates = [c.rewriteTarget(target, { service: f.Service, subset: f.ServiceSubset })];
  // A target never fails over to itself.
  return candidates.filter((t) => t.id !== target.id);
}

/**
 * The resolver node for `start`. Failover targets are resolved the same way (redirects and
 * default subsets apply to them) but are not nodes of their own and do not fail over further.
 */
export function resolverNode(c: ChainCompiler, start: ChainTarget, forFailover: boolean): DiscoveryGraphNode {
  const { target, resolver, cached } = resolveTarget(c, start);
  if (cached) return cached;
  if (target.subset && !Object.hasOwn(resolver.Subsets ?? {}, target.subset)) {
    throw graphError(`service ${JSON.stringify(target.service)} does not have a subset named ${JSON.stringify(target.subset)}`);
  }

  let connectTimeoutMs = resolver.ConnectTimeout ? parseDuration(resolver.ConnectTimeout) : 0;
  if (connectTimeoutMs < 1) connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  const override = c.req.overrideConnectTimeoutMs ?? 0;
  if (override > 0 && override !== connectTimeoutMs) {
    connectTimeoutMs = override;
    c.customized.connectTimeout = true;
  }
  target.connectTimeoutMs = connectTimeoutMs;
  target.subsetDef = resolver.Subsets?.[target.subset] ?? {};
  applyServiceDefaults(c, target, resolver);

  const requestTimeoutNs = resolver.RequestTimeout ? Math.round(parseDuration(resolver.RequestTimeout) * 1e6) : 0;
  const node: DiscoveryGraphNode = {
    Type: 'resolver',
    Name: target.id,
    Resolver: {
      ...(isDefaultResolver(resolver) ? { Default: true } : {}),
      ConnectTimeout: formatDuration(connectTimeoutMs),
      ...(requestTimeoutNs ? { RequestTimeout: requestTimeoutNs } : {}),
      Target: target.id,
    },
    ...(resolver.LoadBalancer ? { LoadBalancer: resolver.LoadBalancer } : {}),
  };
  c.retained.add(target.id);
  if (forFailover) return node;
  c.recordNode(node);

  const failover = resolver.Failover?.[target.subset] ?? resolver.Failover?.['*'];
  if (!failover) return node;
  const targets = failoverTargets(c, target, failover);
  if (!targets.length) return node;
  const policy = failover.Policy?.Mode ? failover.Policy : proxyDefaults(c)?.FailoverPolicy;
  node.Resolver!.Failover = {
    Targets: targets.map((t) => resolverNode(c, t, true).Resolver!.Target),
    ...(policy ? { Policy: policy } : {}),
  };
  return node;
}
