/**
 * Endpoint selection for the L7 proxy: the policies of a service-resolver's `LoadBalancer`
 * (Consul's names, Envoy's semantics) over one target's instances. Pure and synchronous: the
 * engine owns the live counters (`active`) and the outlier detector owns `ejectedUntil`.
 * See docs/l7-balancing.md.
 */
import type { UpstreamEndpoint } from '../../proxycfg/wire.js';
import type { LoadBalancer } from '../../state/config-entries/entry-types.js';
import { WeftError } from '../../lib/errors.js';
import { DEFAULT_CHOICE_COUNT, LeastRequestBalancer } from './balancers/least-request.js';
import { MaglevBalancer } from './balancers/maglev.js';
import { RandomBalancer } from './balancers/random.js';
import { DEFAULT_MAX_RING_SIZE, DEFAULT_MIN_RING_SIZE, RING_SIZE_LIMIT, RingHashBalancer } from './balancers/ring-hash.js';
import { RoundRobinBalancer } from './balancers/round-robin.js';

export { hostKey } from './balancers/host-set.js';

/** One endpoint with the live state the engine and the outlier detector update. */
export interface Host {
  readonly endpoint: UpstreamEndpoint;
  /** `${Address}:${Port}/${ServiceID}`: stable across snapshots. */
  readonly key: string;
  /** Requests in flight (the engine increments and decrements it). */
  active: number;
  /** Until when (ms, the detector's clock) the host is ejected; 0 = not ejected. */
  ejectedUntil: number;
}

export interface Balancer {
  /**
   * Replaces the endpoints; Host objects (and their state) stay for endpoints whose key
   * stays. Weights are clamped to [1, 128] as Consul clamps them for Envoy. Hash tables are
   * rebuilt only when the hosts or weights changed.
   */
  update(endpoints: readonly UpstreamEndpoint[]): void;
  readonly hosts: readonly Host[];
  /**
   * A host that is neither ejected nor in `exclude`; `hash` (from the hash policies) steers
   * ring_hash and maglev (a random one is used when undefined) and is ignored by the others.
   * Ejected hosts are chosen only when every host not excluded is ejected. `now` defaults to
   * Date.now() and must be on the same clock as `ejectedUntil`. Undefined when every host is
   * excluded or there are none.
   */
  pick(hash: number | undefined, exclude?: ReadonlySet<Host>, now?: number): Host | undefined;
}

export interface BalancerOptions {
  /** A uniform draw in [0, 1); Math.random by default (tests inject a seeded one). */
  random?: () => number;
}

/** A positive size, or the default when unset or zero; never above Envoy's limit. */
const ringSize = (v: number | undefined, fallback: number): number => Math.min(v && v > 0 ? Math.floor(v) : fallback, RING_SIZE_LIMIT);

/** The balancer for a resolver's LoadBalancer (round robin when there is none). */
export function createBalancer(lb: LoadBalancer | undefined, opts: BalancerOptions = {}): Balancer {
  const random = opts.random ?? Math.random;
  const policy = lb?.Policy ?? '';
  switch (policy) {
    case '':
    case 'round_robin':
      return new RoundRobinBalancer(random);
    case 'random':
      return new RandomBalancer(random);
    case 'least_request': {
      const n = lb?.LeastRequestConfig?.ChoiceCount ?? 0;
      return new LeastRequestBalancer(random, n >= DEFAULT_CHOICE_COUNT ? Math.floor(n) : DEFAULT_CHOICE_COUNT);
    }
    case 'ring_hash': {
      const wantMin = ringSize(lb?.RingHashConfig?.MinimumRingSize, DEFAULT_MIN_RING_SIZE);
      // An unset maximum never caps a larger minimum; Envoy refuses min > max when both are
      // set, a Weft proxy serves with the minimum lowered to the maximum.
      const max = ringSize(lb?.RingHashConfig?.MaximumRingSize, Math.max(DEFAULT_MAX_RING_SIZE, wantMin));
      const min = Math.min(wantMin, max);
      return new RingHashBalancer(random, min, max);
    }
    case 'maglev':
      return new MaglevBalancer(random);
    default:
      throw new WeftError('CONFIG_INVALID', `unsupported load balancer policy ${JSON.stringify(policy)}`);
  }
}
