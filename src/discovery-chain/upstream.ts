/**
 * A proxy upstream's chain with the instances of every target: what the proxy snapshot
 * carries so the data plane can route, split and fail over without asking again.
 */
import { compileFilter, type CompiledFilter } from '../filter/index.js';
import { serviceHealth, type HealthEntry, type StateStore, type WatchSet } from '../state/index.js';
import { chainSourcesIndex, chainTrustDomain, watchedConfigView, type ChainOptions } from './read.js';
import { compileDiscoveryChain } from './compile.js';
import type { CompiledDiscoveryChain, DiscoveryTarget } from './types.js';

export interface UpstreamChainOptions extends Omit<ChainOptions, 'datacenter'> {
  /** The agent's datacenter. */
  localDatacenter: string;
  /** The upstream's own `datacenter` ('' or absent: the local one); the chain is evaluated there. */
  datacenter?: string;
}

export interface ChainTargetInstances {
  /**
   * False for a target in another datacenter: it compiles (redirects and failover may name
   * one) but has no instances until Weft federates datacenters, so the data plane skips it.
   */
  reachable: boolean;
  /**
   * The target's mesh instances (sidecar proxies and native services, as
   * `/v1/health/connect/:service` lists them) that match the subset's filter and count as
   * healthy for it: no critical check, and with OnlyPassing no warning either (Consul's rule
   * for chain targets). A warning instance carries Service.Weights.Warning as its weight.
   */
  entries: HealthEntry[];
}

export interface UpstreamChain {
  /** The highest index of everything read: wait for a higher one to see a change. */
  index: number;
  chain: CompiledDiscoveryChain;
  /** By target ID, one for every target in `chain.Targets`. */
  targets: Record<string, ChainTargetInstances>;
}

function healthyFor(target: DiscoveryTarget, entry: HealthEntry): boolean {
  for (const c of entry.Checks) {
    if (c.Status === 'critical') return false;
    if (target.Subset.OnlyPassing && c.Status !== 'passing') return false;
  }
  return true;
}

function subsetFilter(target: DiscoveryTarget): CompiledFilter | null | 'invalid' {
  if (!target.Subset.Filter) return null;
  try {
    return compileFilter(target.Subset.Filter);
  } catch {
    // Refused at write time; an entry stored before a filter-language change matches nothing.
    return 'invalid';
  }
}

/**
 * Compiles the chain of an upstream `service` and reads each target's instances. Adds to `ws`
 * every topic the result depends on: the config entries the compiler looked up (router,
 * splitters, resolvers, service-defaults of each service met, proxy-defaults), the CA config
 * (SNIs), and the mesh health of each reachable target's service. Throws WeftError
 * BAD_REQUEST only if the stored entries do not compile, which write-time checks prevent.
 */
export function compileChainForUpstream(store: StateStore, ws: WatchSet | null, service: string, opts: UpstreamChainOptions): UpstreamChain {
  const datacenter = opts.datacenter || opts.localDatacenter;
  const chain = compileDiscoveryChain(watchedConfigView(store, ws), {
    serviceName: service,
    datacenter,
    trustDomain: chainTrustDomain(store, ws),
    overrideProtocol: opts.overrideProtocol,
    overrideConnectTimeoutMs: opts.overrideConnectTimeoutMs,
    overrideMeshGateway: opts.overrideMeshGateway,
  });
  let index = chainSourcesIndex(store, ws);
  const health = new Map<string, HealthEntry[]>();
  const targets: Record<string, ChainTargetInstances> = {};
  for (const [id, target] of Object.entries(chain.Targets)) {
    if (target.Datacenter !== opts.localDatacenter) {
      targets[id] = { reachable: false, entries: [] };
      continue;
    }
    let entries = health.get(target.Service);
    if (!entries) {
      const h = serviceHealth(store, ws, target.Service, { connect: true });
      index = Math.max(index, h.index);
      entries = h.entries;
      health.set(target.Service, entries);
    }
    const filter = subsetFilter(target);
    targets[id] = {
      reachable: true,
      entries: filter === 'invalid' ? [] : entries.filter((e) => healthyFor(target, e) && (!filter || filter.matches(e))),
    };
  }
  return { index, chain, targets };
}
