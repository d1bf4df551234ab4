/**
 * `datacenters`: /v1/catalog/datacenters has no blocking queries, so after the first
 * answer it is asked again every 15 seconds (consul-template's interval).
 */
import { abortableDelay, type Dependency, type DependencyContext, type FetchOptions, type FetchResult, nextLocalIndex } from './dependency.js';
import { byBytes } from './shapes/service-tags.js';

export const DATACENTERS_POLL_MS = 15_000;

export class CatalogDatacentersQuery implements Dependency {
  readonly key: string;

  /** `ignoreFailing`: leave out datacenters that cannot answer a consistent read right now. */
  constructor(private readonly ignoreFailing: boolean) {
    this.key = ignoreFailing ? 'catalog.datacenters(ignore-failing)' : 'catalog.datacenters';
  }

  async fetch(ctx: DependencyContext, opts: FetchOptions): Promise<FetchResult> {
    if (opts.index !== 0) await abortableDelay(DATACENTERS_POLL_MS, opts.signal);
    const res = await ctx.client.get<string[]>('/v1/catalog/datacenters', { signal: opts.signal });
    let dcs = [...(res.body ?? [])];
    if (this.ignoreFailing) {
      const reachable = await Promise.all(
        dcs.map((dc) =>
          ctx.client.get('/v1/catalog/services', { query: { dc, consistent: true }, signal: opts.signal }).then(
            () => true,
            () => false,
          ),
        ),
      );
      dcs = dcs.filter((_, i) => reachable[i]);
    }
    dcs.sort(byBytes);
    return { value: dcs, index: nextLocalIndex(), lastContact: 0 };
  }
}
