import { xxh32 } from '../endpoint-hash.js';
import type { Host } from '../load-balancer.js';
import { HostSet, type HostState } from './host-set.js';

/** Consul's documented RingHashConfig defaults. */
export const DEFAULT_MIN_RING_SIZE = 1024;
export const DEFAULT_MAX_RING_SIZE = 8192;
/** Envoy's hard limit on either size. */
export const RING_SIZE_LIMIT = 8 * 1024 * 1024;

/**
 * ring_hash (ketama): every host owns points on a 32-bit ring in proportion to its weight,
 * each point the hash of `<key>_<n>`; a request goes to the owner of the first point at or
 * after its hash. The ring size follows Envoy (large enough that the lightest host gets its
 * share of MinimumRingSize, capped at MaximumRingSize) with that share rounded up to a power
 * of two, so the ring holds between one and two times MinimumRingSize points. The ring is built on update only;
 * an excluded or ejected owner is passed over for the next point's owner, exactly as if its
 * points were not on the ring, so only its keys move.
 */
export class RingHashBalancer extends HostSet {
  private points = new Uint32Array(0);
  private owners = new Uint32Array(0);
  /**
   * `start[b]`: the first point in bucket b of the ring (its top `32 - shift` bits). A lookup
   * scans the one bucket (about one point) instead of a binary search, whose unpredictable
   * branches cost more than the search itself.
   */
  private start = new Uint32Array(1);
  private shift = 32;

  constructor(
    random: () => number,
    private readonly minSize: number,
    private readonly maxSize: number,
  ) {
    super(random);
  }

  get ringSize(): number {
    return this.points.length;
  }

  protected rebuild(): void {
    const list = this.list;
    if (list.length === 0) {
      this.points = new Uint32Array(0);
      this.owners = new Uint32Array(0);
      this.start = new Uint32Array(1);
      this.shift = 32;
      return;
    }
    let minWeight = Infinity;
    for (const h of list) minWeight = Math.min(minWeight, h.weight / this.totalWeight);
    // Envoy gives the lightest host ceil(share × MinimumRingSize) points; rounding that up to a
    // power of two keeps every host's points unchanged while the pool grows or shrinks within
    // a power-of-two band, so a leaving host moves only its own keys (about 1/n).
    const lightest = 2 ** Math.ceil(Math.log2(Math.max(1, Math.ceil(minWeight * this.minSize))));
    const scale = Math.min(lightest / minWeight, this.maxSize);
    // A point packs its hash above its owner's index in one float (2^32 * 2^21 = 2^53), so a
    // native numeric sort orders the ring without a comparator.
    const packed: number[] = [];
    let target = 0;
    for (let i = 0; i < list.length; i++) {
      target += (scale * list[i].weight) / this.totalWeight;
      for (let n = 0; packed.length < target; n++) packed.push(xxh32(`${list[i].key}_${n}`) * 2 ** 21 + i);
    }
    const sorted = Float64Array.from(packed).sort();
    this.points = new Uint32Array(sorted.length);
    this.owners = new Uint32Array(sorted.length);
    for (let k = 0; k < sorted.length; k++) {
      const owner = sorted[k] % 2 ** 21;
      this.owners[k] = owner;
      this.points[k] = (sorted[k] - owner) / 2 ** 21;
    }
    const bits = Math.min(20, Math.max(4, Math.ceil(Math.log2(sorted.length))));
    this.shift = 32 - bits;
    this.start = new Uint32Array(2 ** bits + 1);
    let k = 0;
    for (let b = 0; b <= 2 ** bits; b++) {
      while (k < this.points.length && this.points[k] >>> this.shift < b) k++;
      this.start[b] = k;
    }
  }

  protected choose(hash: number | undefined, exclude: ReadonlySet<Host> | undefined, allowEjected: boolean): HostState | undefined {
    const points = this.points;
    const size = points.length;
    const h = hash === undefined ? Math.floor(this.random() * 2 ** 32) : hash >>> 0;
    const bucket = h >>> this.shift;
    let lo = this.start[bucket];
    const end = this.start[bucket + 1];
    while (lo < end && points[lo] < h) lo++;
    if (lo === size) lo = 0;
    const first = this.list[this.owners[lo]];
    if (!this.unusable(first, exclude, allowEjected)) return first;
    if (!this.anyCandidate(exclude, allowEjected)) return undefined;
    for (let k = 1; k < size; k++) {
      const at = lo + k < size ? lo + k : lo + k - size;
      const owner = this.list[this.owners[at]];
      if (!this.unusable(owner, exclude, allowEjected)) return owner;
    }
    return undefined;
  }
}
