/** `caRoots` and `caLeaf`: the Connect CA's trusted roots and a service's leaf certificate, from the local agent. */
import { blockingQuery, type Dependency, type DependencyContext, type FetchOptions, type FetchResult } from './dependency.js';
import { CARoot, LeafCert } from './shapes/connect.js';

type Json = Record<string, unknown>;

export class ConnectCaRootsQuery implements Dependency {
  readonly key = 'connect.caroots';

  async fetch(ctx: DependencyContext, opts: FetchOptions): Promise<FetchResult> {
    const res = await ctx.client.get<{ Roots?: Json[] | null }>('/v1/agent/connect/ca/roots', {
      query: blockingQuery(opts),
      signal: opts.signal,
    });
    const roots = (res.body?.Roots ?? []).map((r) => new CARoot(r));
    return { value: roots, index: res.meta.index, lastContact: res.meta.lastContact };
  }
}

export class ConnectLeafQuery implements Dependency {
  readonly key: string;

  constructor(private readonly service: string) {
    this.key = `connect.caleaf(${service})`;
  }

  async fetch(ctx: DependencyContext, opts: FetchOptions): Promise<FetchResult> {
    const res = await ctx.client.get<Json>(`/v1/agent/connect/ca/leaf/${encodeURIComponent(this.service)}`, {
      query: blockingQuery(opts),
      signal: opts.signal,
    });
    return { value: new LeafCert(res.body ?? {}), index: res.meta.index, lastContact: res.meta.lastContact };
  }
}
