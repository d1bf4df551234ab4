/** The scratchpad: per-execution storage for values computed in one place and used in another. */
export class Scratch {
  private readonly values = new Map<string, unknown>();

  Key(k: string): boolean {
    return this.values.has(k);
  }

  Get(k: string): unknown {
    return this.values.has(k) ? this.values.get(k) : null;
  }

  Set(k: string, v: unknown): string {
    this.values.set(k, v);
    return '';
  }

  SetX(k: string, v: unknown): string {
    if (!this.values.has(k)) this.values.set(k, v);
    return '';
  }

  MapSet(k: string, mk: string, v: unknown): string {
    this.map(k)[mk] = v;
    return '';
  }

  MapSetX(k: string, mk: string, v: unknown): string {
    const m = this.map(k);
    if (!Object.hasOwn(m, mk)) m[mk] = v;
    return '';
  }

  /** The map's values ordered by key; nil when `k` is not a map. */
  MapValues(k: string): unknown[] | null {
    const m = this.values.get(k);
    if (typeof m !== 'object' || m === null || Object.getPrototypeOf(m) !== null) return null;
    const map = m as Record<string, unknown>;
    return Object.keys(map).sort().map((key) => map[key]);
  }

  private map(k: string): Record<string, unknown> {
    if (!this.values.has(k)) this.values.set(k, Object.create(null));
    const m = this.values.get(k);
    if (typeof m !== 'object' || m === null || Object.getPrototypeOf(m) !== null) throw new Error(`"${k}" is not a map`);
    return m as Record<string, unknown>;
  }
}
