import { xxh32 } from '../endpoint-hash.js';
import type { Host } from '../load-balancer.js';
import { HostSet, type HostState } from './host-set.js';

/** Envoy's default maglev table size (a prime, as the permutations need). */
export const MAGLEV_TABLE_SIZE = 65537;

/**
 * maglev (Google's Maglev paper, as Envoy builds it): a lookup table of 65537 slots that the
 * hosts fill in turns, each walking its own permutation of the slots (offset and skip from
 * two hashes of its key), a host of weight w taking w turns for the heaviest host's
 * max-weight turns. A request goes to `table[hash % 65537]`. The table is built on update
 * only; when the slot's host is excluded or ejected the next slots are tried, which spreads
 * that host's keys over the others in proportion to their share of the table.
 */
export class MaglevBalancer extends HostSet {
  private table = new Int32Array(0);

  protected rebuild(): void {
    const list = this.list;
    const m = MAGLEV_TABLE_SIZE;
    if (list.length === 0) {
      this.table = new Int32Array(0);
      return;
    }
    const table = new Int32Array(m).fill(-1);
    const n = list.length;
    const position = new Int32Array(n);
    const skip = new Int32Array(n);
    const weight = new Int32Array(n);
    const due = new Float64Array(n);
    let maxWeight = 0;
    for (let i = 0; i < n; i++) {
      position[i] = xxh32(list[i].key, 0) % m;
      skip[i] = (xxh32(list[i].key, 1) % (m - 1)) + 1;
      weight[i] = list[i].weight;
      maxWeight = Math.max(maxWeight, list[i].weight);
    }
    due.fill(maxWeight);
    let filled = 0;
    for (let turn = 1; filled < m; turn++) {
      for (let i = 0; i < n && filled < m; i++) {
        // A host of weight w takes a turn whenever turn * w has caught up with its next due mark.
        if (turn * weight[i] < due[i]) continue;
        due[i] += maxWeight;
        const step = skip[i];
        let slot = position[i];
        while (table[slot] !== -1) {
          slot += step;
          if (slot >= m) slot -= m;
        }
        table[slot] = i;
        slot += step;
        position[i] = slot >= m ? slot - m : slot;
        filled++;
      }
    }
    this.table = table;
  }

  protected choose(hash: number | undefined, exclude: ReadonlySet<Host> | undefined, allowEjected: boolean): HostState | undefined {
    const m = MAGLEV_TABLE_SIZE;
    const h = hash === undefined ? Math.floor(this.random() * 2 ** 32) : hash >>> 0;
    const slot = h % m;
    const first = this.list[this.table[slot]];
    if (!this.unusable(first, exclude, allowEjected)) return first;
    if (!this.anyCandidate(exclude, allowEjected)) return undefined;
    for (let k = 1; k < m; k++) {
      const at = slot + k < m ? slot + k : slot + k - m;
      const owner = this.list[this.table[at]];
      if (!this.unusable(owner, exclude, allowEjected)) return owner;
    }
    return undefined;
  }

  /** Slots held by each host, in host order (for tests and diagnostics). */
  shares(): number[] {
    const counts = new Array<number>(this.list.length).fill(0);
    for (const i of this.table) counts[i]++;
    return counts;
  }
}
