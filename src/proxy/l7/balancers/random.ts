import type { Host } from '../load-balancer.js';
import { HostSet, type HostState } from './host-set.js';

/**
 * random: each pick draws a host in proportion to its weight (Vose's alias tables, built on
 * update; a plain index when the weights are equal). A draw that lands on a skipped host is
 * redrawn among the remaining ones, which keeps the odds proportional.
 */
export class RandomBalancer extends HostSet {
  protected rebuild(): void {}

  protected choose(_hash: number | undefined, exclude: ReadonlySet<Host> | undefined, allowEjected: boolean): HostState | undefined {
    const h = this.list[this.drawIndex()];
    if (!this.unusable(h, exclude, allowEjected)) return h;
    return this.drawAmongCandidates(exclude, allowEjected);
  }
}
