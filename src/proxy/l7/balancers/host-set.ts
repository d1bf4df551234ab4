import type { UpstreamEndpoint } from '../../../proxycfg/wire.js';
import type { Balancer, Host } from '../load-balancer.js';

/** A host with the per-policy state the balancers keep on it (kept across updates). */
export interface HostState extends Host {
  endpoint: UpstreamEndpoint;
  /** The endpoint's weight clamped to [1, 128], as Consul clamps it for Envoy. */
  weight: number;
  /** Smooth weighted round robin's running weight. */
  cw: number;
}

/** The identity of an instance across snapshots: a Host keeps its state while its key stays. */
export const hostKey = (e: UpstreamEndpoint): string => `${e.Address}:${e.Port}/${e.ServiceID}`;

const MAX_WEIGHT = 128;

function clampWeight(w: number): number {
  if (!Number.isFinite(w) || w < 1) return 1;
  return w > MAX_WEIGHT ? MAX_WEIGHT : Math.floor(w);
}

/**
 * What every policy shares: the host list replaced in place by `update` (keeping Host
 * objects whose key stays), weights, the unusable rule, and the fallback to ejected hosts.
 *
 * A policy implements `choose(hash, exclude, allowEjected)`. `pick` asks it first among hosts
 * that are neither excluded nor ejected, and only when none is left, again allowing ejected
 * ones: a pool whose every instance is ejected still serves (Envoy's panic mode would also
 * route to them), but one healthy instance takes all the traffic until the others return.
 */
export abstract class HostSet implements Balancer {
  protected list: HostState[] = [];
  /** All weights equal: policies take their unweighted fast paths. */
  protected uniform = true;
  protected totalWeight = 0;
  /** Walker's alias tables for O(1) weighted draws; only filled when not `uniform`. */
  private aliasProb = new Float64Array(0);
  private alias = new Int32Array(0);
  /** `now` of the pick in progress; 0 until a host with an ejection time needs it. */
  private clock = 0;

  constructor(protected readonly random: () => number) {}

  get hosts(): readonly Host[] {
    return this.list;
  }

  update(endpoints: readonly UpstreamEndpoint[]): void {
    const previous = new Map<string, HostState>();
    for (const h of this.list) previous.set(h.key, h);
    const next: HostState[] = [];
    const seen = new Set<string>();
    let changed = endpoints.length !== this.list.length;
    for (const e of endpoints) {
      const key = hostKey(e);
      if (seen.has(key)) continue;
      seen.add(key);
      const weight = clampWeight(e.Weight);
      let h = previous.get(key);
      if (h === undefined) h = { endpoint: e, key, active: 0, ejectedUntil: 0, weight, cw: 0 };
      const at = next.length;
      if (!changed && (this.list[at] !== h || h.weight !== weight)) changed = true;
      h.endpoint = e;
      h.weight = weight;
      next.push(h);
    }
    if (next.length !== this.list.length) changed = true;
    this.list = next;
    if (!changed) return;
    let total = 0;
    this.uniform = true;
    for (const h of next) {
      total += h.weight;
      if (h.weight !== next[0].weight) this.uniform = false;
    }
    this.totalWeight = total;
    if (!this.uniform) this.buildAlias();
    this.rebuild();
  }

  /**
   * Vose's alias method: slot i keeps host i with probability prob[i], else hands over to
   * alias[i]; one draw then picks a host in proportion to its weight in constant time (a
   * binary search over cumulative weights spends its time on mispredicted branches).
   */
  private buildAlias(): void {
    const n = this.list.length;
    const prob = new Float64Array(n);
    const alias = new Int32Array(n);
    const scaled = this.list.map((h) => (h.weight * n) / this.totalWeight);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large[large.length - 1];
      prob[s] = scaled[s];
      alias[s] = l;
      scaled[l] -= 1 - scaled[s];
      if (scaled[l] < 1) small.push(large.pop()!);
    }
    for (const i of large) prob[i] = 1;
    for (const i of small) prob[i] = 1;
    this.aliasProb = prob;
    this.alias = alias;
  }

  pick(hash: number | undefined, exclude?: ReadonlySet<Host>, now?: number): Host | undefined {
    if (this.list.length === 0) return undefined;
    this.clock = now ?? 0;
    const ex = exclude !== undefined && exclude.size > 0 ? exclude : undefined;
    return this.choose(hash, ex, false) ?? this.choose(hash, ex, true);
  }

  /** Called when the hosts or their weights changed (not on an update that changes nothing). */
  protected abstract rebuild(): void;

  protected abstract choose(hash: number | undefined, exclude: ReadonlySet<Host> | undefined, allowEjected: boolean): HostState | undefined;

  protected unusable(h: HostState, exclude: ReadonlySet<Host> | undefined, allowEjected: boolean): boolean {
    if (exclude !== undefined && exclude.has(h)) return true;
    if (allowEjected || h.ejectedUntil === 0) return false;
    if (this.clock === 0) this.clock = Date.now();
    return h.ejectedUntil > this.clock;
  }

  /** True when some host is not `unusable`: lets the slow paths of hash policies stop early. */
  protected anyCandidate(exclude: ReadonlySet<Host> | undefined, allowEjected: boolean): boolean {
    for (const h of this.list) if (!this.unusable(h, exclude, allowEjected)) return true;
    return false;
  }

  /** An index drawn in proportion to the weights (uniformly when they are equal). */
  protected drawIndex(): number {
    const n = this.list.length;
    const u = this.random() * n;
    const i = Math.min(n - 1, Math.floor(u));
    if (this.uniform) return i;
    return u - i < this.aliasProb[i] ? i : this.alias[i];
  }

  /**
   * A host drawn in proportion to the weights among those that are not `unusable`: the slow path
   * after a draw over all hosts hit a skipped one, so the overall odds stay proportional.
   */
  protected drawAmongCandidates(exclude: ReadonlySet<Host> | undefined, allowEjected: boolean): HostState | undefined {
    let total = 0;
    for (const h of this.list) if (!this.unusable(h, exclude, allowEjected)) total += h.weight;
    if (total === 0) return undefined;
    let r = this.random() * total;
    let last: HostState | undefined;
    for (const h of this.list) {
      if (this.unusable(h, exclude, allowEjected)) continue;
      last = h;
      r -= h.weight;
      if (r < 0) return h;
    }
    return last;
  }
}
