import type { Host } from '../load-balancer.js';
import { HostSet, type HostState } from './host-set.js';

/** Envoy's default and minimum LeastRequestConfig.ChoiceCount. */
export const DEFAULT_CHOICE_COUNT = 2;

/**
 * least_request: the power of N random choices (N = ChoiceCount, 2 by default): draw N hosts
 * and send to the one with the fewest requests in flight. When N covers the whole pool every
 * host is compared. With unequal weights the draws follow the weights and hosts compare by
 * in-flight requests per unit of weight, so a weight-2 host is as "busy" with 2 requests as a
 * weight-1 host with 1.
 */
export class LeastRequestBalancer extends HostSet {
  constructor(
    random: () => number,
    private readonly choices: number,
  ) {
    super(random);
  }

  protected rebuild(): void {}

  protected choose(_hash: number | undefined, exclude: ReadonlySet<Host> | undefined, allowEjected: boolean): HostState | undefined {
    const n = this.list.length;
    if (this.choices >= n) return this.leastOfAll(exclude, allowEjected);
    let best: HostState | undefined;
    for (let c = 0; c < this.choices; c++) {
      const h = this.list[this.drawIndex()];
      if (this.unusable(h, exclude, allowEjected)) continue;
      if (best === undefined || this.lessLoaded(h, best)) best = h;
    }
    return best ?? this.leastOfAll(exclude, allowEjected);
  }

  private lessLoaded(a: HostState, b: HostState): boolean {
    if (this.uniform) return a.active < b.active;
    return (a.active + 1) * b.weight < (b.active + 1) * a.weight;
  }

  /** A full scan from a random start, so ties do not always go to the first host. */
  private leastOfAll(exclude: ReadonlySet<Host> | undefined, allowEjected: boolean): HostState | undefined {
    const n = this.list.length;
    let j = Math.min(n - 1, Math.floor(this.random() * n));
    let best: HostState | undefined;
    for (let i = 0; i < n; i++) {
      const h = this.list[j];
      j = j + 1 === n ? 0 : j + 1;
      if (this.unusable(h, exclude, allowEjected)) continue;
      if (best === undefined || this.lessLoaded(h, best)) best = h;
    }
    return best;
  }
}
