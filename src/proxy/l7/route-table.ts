/**
 * An upstream's compiled discovery chain turned into what one request needs: an ordered
 * list of routes (match → weighted legs → failover-ordered targets) with their rewrites,
 * timeouts, retry policy and header changes, all decided when the snapshot arrives. The
 * per-request path only runs matchers and reads precomputed values.
 *
 * Follows Consul's rendering for Envoy (agent/xds/routes.go makeUpstreamRouteForDiscoveryChain).
 */
import type { DiscoveryGraphNode, DiscoveryResolver, DiscoverySplit } from '../../discovery-chain/types.js';
import { parseDuration } from '../../lib/duration.js';
import { WeftError } from '../../lib/errors.js';
import type { UpstreamChainSnapshot } from '../../proxycfg/wire.js';
import type { LoadBalancer, RouteDestination, RouteHttpMatch, ServiceRoute } from '../../state/index.js';
import { compileHeaderOps, type HeaderOps } from './header-ops.js';
import { compileHttpMatch, matchAll, type RequestMatcher } from './request-match.js';
import type { RequestHead } from './request-head.js';

/** Envoy's route timeout when none is configured. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** Envoy's HTTP connection manager stream_idle_timeout, which applies when a route sets none. */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

export interface RouteLeg {
  /** Target IDs in failover order: the resolver's target, then its Failover.Targets; unreachable ones dropped. */
  targets: readonly string[];
  /** The resolver node's name, for metrics and logs. */
  resolver: string;
  loadBalancer: LoadBalancer | undefined;
  /** The resolver's ConnectTimeout. */
  connectTimeoutMs: number;
  /** Split-level header changes; Envoy applies them before the route's. */
  requestHeaders: HeaderOps | null;
  responseHeaders: HeaderOps | null;
}

export interface Route {
  /** Stable metric label: 'default' for the catch-all, else 'route-<i>' by position in the router. */
  name: string;
  match: RequestMatcher;
  legs: readonly RouteLeg[];
  /** `rand` in [0,1): a leg chosen by split weight. */
  pick(rand: number): RouteLeg;
  /** PrefixRewrite applied to a path (without its query) this route matched; identity when none. */
  rewritePath(path: string): string;
  /**
   * The whole request's budget, retries included: the route's RequestTimeout, else the
   * resolvers' RequestTimeout when every leg's agrees, else 15 s. 0 means no limit (Envoy's
   * `timeout: 0s`); today's config entries cannot produce it (they reject negative durations).
   */
  requestTimeoutMs: number;
  /** How long the stream may see no bytes either way: the route's IdleTimeout, else 5 min. */
  idleTimeoutMs: number;
  retry: RetryPolicy;
  /** Route-level header changes, applied after the leg's. */
  requestHeaders: HeaderOps | null;
  responseHeaders: HeaderOps | null;
}

export interface RetryPolicy {
  /** Retries after the first attempt; 0 = never retry. */
  numRetries: number;
  /** A failed connection to the chosen instance is retried (connect-failure, or 5xx / gateway-error / reset, which include it in Envoy). */
  retryOnConnectFailure: boolean;
  /** Envoy retry_on conditions, as Consul sets them: RetryOn, plus connect-failure and retriable-status-codes when asked for. */
  retryOn: ReadonlySet<string>;
  /** Statuses retried under 'retriable-status-codes'. */
  statusCodes: ReadonlySet<number>;
  /** Destination PerTryTimeout (a Weft addition): one attempt's deadline, 0 = only the request's. */
  perTryTimeoutMs: number;
}

export const NO_RETRY: RetryPolicy = Object.freeze({ numRetries: 0, retryOnConnectFailure: false, retryOn: new Set<string>(), statusCodes: new Set<number>(), perTryTimeoutMs: 0 });

/**
 * Consul's translation of a route destination's retry fields (routes.go getRetryPolicyForDestination):
 * no retry features means no policy; otherwise NumRetries, or Envoy's default of 1 when unset,
 * with retry_on built from RetryOn, RetryOnConnectFailure and RetryOnStatusCodes. NumRetries
 * without any condition retries nothing, as in Envoy.
 */
export function retryPolicy(d: RouteDestination): RetryPolicy {
  const codes = d.RetryOnStatusCodes ?? [];
  const on = new Set(d.RetryOn ?? []);
  const perTryTimeoutMs = d.PerTryTimeout ? parseDuration(d.PerTryTimeout) : 0;
  if (!((d.NumRetries ?? 0) > 0 || d.RetryOnConnectFailure || on.size || codes.length)) return perTryTimeoutMs ? { ...NO_RETRY, perTryTimeoutMs } : NO_RETRY;
  if (d.RetryOnConnectFailure) on.add('connect-failure');
  if (codes.length) on.add('retriable-status-codes');
  return {
    numRetries: (d.NumRetries ?? 0) > 0 ? d.NumRetries! : 1,
    // Envoy retries a failed connection under any of these (RetryStateImpl::wouldRetryFromReset).
    retryOnConnectFailure: ['connect-failure', '5xx', 'gateway-error', 'reset'].some((c) => on.has(c)),
    retryOn: on,
    statusCodes: new Set(codes),
    perTryTimeoutMs,
  };
}

const NO_REWRITE = (path: string): string => path;

/** Envoy's prefix_rewrite: with PathPrefix the matched prefix is replaced; with PathExact the whole path. */
function pathRewriter(match: RouteHttpMatch | undefined, rewrite: string | undefined): (path: string) => string {
  if (!rewrite || !match) return NO_REWRITE;
  if (match.PathExact) return () => rewrite;
  if (match.PathPrefix) {
    const n = match.PathPrefix.length;
    return (path) => rewrite + path.slice(n);
  }
  return NO_REWRITE;
}

/** Cumulative split weights in hundredths of a percent (Consul's weights carry two decimals). */
function cumulativeWeights(weights: readonly number[]): Uint32Array {
  const out = new Uint32Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += Math.max(0, Math.round(w * 100));
    out[i] = sum;
  });
  return out;
}

class CompiledRoute implements Route {
  private readonly cumulative: Uint32Array;
  private readonly total: number;
  readonly rewritePath: (path: string) => string;

  constructor(
    readonly name: string,
    readonly match: RequestMatcher,
    readonly legs: readonly RouteLeg[],
    weights: readonly number[],
    rewrite: (path: string) => string,
    readonly requestTimeoutMs: number,
    readonly idleTimeoutMs: number,
    readonly retry: RetryPolicy,
    readonly requestHeaders: HeaderOps | null,
    readonly responseHeaders: HeaderOps | null,
  ) {
    // A leg none of whose targets can be reached takes no share, as Consul leaves a split
    // without a cluster out of Envoy's weighted clusters; when no leg can be reached the
    // weights stay as written and every leg answers "no healthy upstream" alike.
    const servable = weights.map((w, i) => (legs[i].targets.length ? w : 0));
    this.cumulative = cumulativeWeights(servable.some((w) => w > 0) ? servable : weights);
    this.total = this.cumulative.length ? this.cumulative[this.cumulative.length - 1] : 0;
    this.rewritePath = rewrite;
  }

  pick(rand: number): RouteLeg {
    const legs = this.legs;
    if (legs.length === 1 || this.total === 0) return legs[0];
    const r = rand * this.total;
    const c = this.cumulative;
    for (let i = 0; i < c.length; i++) if (r < c[i]) return legs[i];
    return legs[legs.length - 1];
  }
}

/** The parts of a chain node a route points at: its legs, their weights and the resolvers behind them. */
interface Destination {
  legs: RouteLeg[];
  weights: number[];
  resolvers: DiscoveryResolver[];
}

export class RouteTable {
  /**
   * `errors` lists routes that can never match because a regex of theirs does not compile
   * (config entries are validated with the same engine, so only a foreign snapshot has any).
   */
  constructor(
    readonly routes: readonly Route[],
    readonly errors: readonly string[] = [],
  ) {}

  static compile(chain: UpstreamChainSnapshot): RouteTable {
    return new TableCompiler(chain).compile();
  }

  /** The first route in order whose match holds; a chain starting at a splitter or resolver has one catch-all route. */
  route(req: RequestHead): Route | undefined {
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) if (routes[i].match(req)) return routes[i];
    return undefined;
  }
}

class TableCompiler {
  private readonly errors: string[] = [];

  constructor(private readonly chain: UpstreamChainSnapshot) {}

  compile(): RouteTable {
    const c = this.chain.Compiled;
    const start = this.node(c.StartNode);
    if (start.Type !== 'router') {
      const dest = this.destination(start);
      return new RouteTable([this.route('default', matchAll, dest, undefined)], this.errors);
    }
    const routes = start.Routes ?? [];
    const out = routes.map((r, i) => {
      // The compiler appends the catch-all last: it takes whatever no route before it matched.
      const last = i === routes.length - 1;
      const name = last ? 'default' : `route-${i}`;
      return this.route(name, last ? matchAll : this.matcher(name, r.Definition), this.destination(this.node(r.NextNode)), r.Definition);
    });
    return new RouteTable(out, this.errors);
  }

  private node(name: string): DiscoveryGraphNode {
    const n = this.chain.Compiled.Nodes[name];
    if (!n) throw new WeftError('INTERNAL', `discovery chain ${this.chain.Compiled.ServiceName} has no node ${JSON.stringify(name)}`);
    return n;
  }

  private matcher(name: string, def: ServiceRoute): RequestMatcher {
    try {
      return compileHttpMatch(def.Match?.HTTP);
    } catch (err) {
      this.errors.push(`${name}: ${(err as Error).message}`);
      return () => false;
    }
  }

  private destination(node: DiscoveryGraphNode): Destination {
    if (node.Type === 'resolver') return { legs: [this.leg(node)], weights: [100], resolvers: [node.Resolver!] };
    if (node.Type !== 'splitter') throw new WeftError('INTERNAL', `a route cannot lead to a ${node.Type} node`);
    const splits: DiscoverySplit[] = node.Splits ?? [];
    const nodes = splits.map((s) => this.node(s.NextNode));
    for (const n of nodes) if (n.Type !== 'resolver') throw new WeftError('INTERNAL', `unexpected splitter destination node type: ${n.Type}`);
    return {
      legs: nodes.map((n, i) => this.leg(n, splits[i])),
      weights: splits.map((s) => s.Weight),
      resolvers: nodes.map((n) => n.Resolver!),
    };
  }

  private leg(node: DiscoveryGraphNode, split?: DiscoverySplit): RouteLeg {
    const r = node.Resolver!;
    const ids = [...new Set([r.Target, ...(r.Failover?.Targets ?? [])])];
    return {
      targets: ids.filter((id) => this.chain.Targets[id]?.Reachable === true),
      resolver: node.Name,
      loadBalancer: node.LoadBalancer,
      connectTimeoutMs: parseDuration(r.ConnectTimeout),
      requestHeaders: compileHeaderOps(split?.Definition.RequestHeaders),
      responseHeaders: compileHeaderOps(split?.Definition.ResponseHeaders),
    };
  }

  private route(name: string, match: RequestMatcher, dest: Destination, def: ServiceRoute | undefined): Route {
    const d = def?.Destination;
    const routeTimeout = d?.RequestTimeout ? parseDuration(d.RequestTimeout) : 0;
    const idle = d?.IdleTimeout ? parseDuration(d.IdleTimeout) : 0;
    return new CompiledRoute(
      name,
      match,
      dest.legs,
      dest.weights,
      pathRewriter(def?.Match?.HTTP, d?.PrefixRewrite),
      routeTimeout > 0 ? routeTimeout : resolverTimeout(dest.resolvers),
      idle > 0 ? idle : DEFAULT_IDLE_TIMEOUT_MS,
      d ? retryPolicy(d) : NO_RETRY,
      compileHeaderOps(d?.RequestHeaders),
      compileHeaderOps(d?.ResponseHeaders),
    );
  }
}

/**
 * The resolvers' RequestTimeout when every leg's resolver has the same one. Consul applies a
 * resolver's timeout only when the chain starts at that resolver, because Envoy keeps one
 * timeout per route and split legs may differ; Weft also applies it behind a router or a
 * splitter whenever the legs agree (subsets of one service always do).
 */
function resolverTimeout(resolvers: readonly DiscoveryResolver[]): number {
  const ns = resolvers[0]?.RequestTimeout ?? 0;
  if (ns <= 0 || resolvers.some((r) => (r.RequestTimeout ?? 0) !== ns)) return DEFAULT_REQUEST_TIMEOUT_MS;
  return ns / 1e6;
}
