import type { Host } from '../load-balancer.js';
import { HostSet, type HostState } from './host-set.js';

/**
 * round_robin (and the default policy). Equal weights rotate a cursor; unequal weights use
 * smooth weighted round robin (NGINX's algorithm), which interleaves hosts instead of sending
 * bursts: weights 5:1:1 give a a b a c a a, not a a a a a b c. Skipped hosts (excluded or
 * ejected) neither gain weight nor advance, so the rest keep their proportions. Each balancer
 * starts at a random position so that many proxies do not all begin on the same instance.
 */
export class RoundRobinBalancer extends HostSet {
  private cursor = -1;
  private offset = 0;

  protected rebuild(): void {
    const n = this.list.length;
    if (n === 0) return;
    if (this.cursor < 0) {
      this.cursor = Math.floor(this.random() * n) % n;
      this.offset = this.cursor;
    }
    this.cursor %= n;
    this.offset %= n;
  }

  protected choose(_hash: number | undefined, exclude: ReadonlySet<Host> | undefined, allowEjected: boolean): HostState | undefined {
    const list = this.list;
    const n = list.length;
    if (this.uniform) {
      for (let i = 0; i < n; i++) {
        const h = list[this.cursor];
        this.cursor = this.cursor + 1 === n ? 0 : this.cursor + 1;
        if (!this.unusable(h, exclude, allowEjected)) return h;
      }
      return undefined;
    }
    let best: HostState | undefined;
    let total = 0;
    let j = this.offset;
    for (let i = 0; i < n; i++) {
      const h = list[j];
      j = j + 1 === n ? 0 : j + 1;
      if (this.unusable(h, exclude, allowEjected)) continue;
      h.cw += h.weight;
      total += h.weight;
      if (best === undefined || h.cw > best.cw) best = h;
    }
    if (best !== undefined) best.cw -= total;
    return best;
  }
}
