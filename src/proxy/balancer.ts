import type { UpstreamEndpoint } from '../proxycfg/wire.js';

/**
 * An upstream's healthy endpoints, replaced whole when a snapshot changes them (the stack
 * is not rebuilt), and picked round-robin from a random start so that many proxies do not
 * all begin with the same instance. `exclude` skips instances that already failed this dial.
 */
export class EndpointTable {
  private list: readonly UpstreamEndpoint[] = [];
  private cursor = Math.floor(Math.random() * 1024);

  update(endpoints: readonly UpstreamEndpoint[]): void {
    this.list = endpoints;
  }

  get size(): number {
    return this.list.length;
  }

  pick(exclude: ReadonlySet<string> = new Set()): UpstreamEndpoint | undefined {
    const n = this.list.length;
    for (let i = 0; i < n; i++) {
      const e = this.list[this.cursor++ % n];
      if (!exclude.has(endpointKey(e))) return e;
    }
    return undefined;
  }
}

export const endpointKey = (e: UpstreamEndpoint): string => `${e.Node}/${e.ServiceID}/${e.Address}:${e.Port}`;
