/**
 * `service` and `connect`: a service's instances from /v1/health/service (or
 * /v1/health/connect), filtered by health. With no filter only passing instances are
 * returned, and Consul does the filtering (`?passing`); any explicit filter (`any`,
 * `passing,warning`, ...) fetches every instance and filters here, as consul-template does.
 */
import { blockingQuery, type Dependency, type DependencyContext, type FetchOptions, type FetchResult } from './dependency.js';
import { DC, FILTER, grammar, matchGroups, NEAR, parseScope, QUERY, scopeQuery, scopeSuffix, SERVICE_NAME, TAG, type ScopeParams } from './query-syntax.js';
import { HealthService } from './shapes/health.js';
import { byBytes } from './shapes/service-tags.js';

const HEALTH_SERVICE = grammar(TAG, SERVICE_NAME, QUERY, DC, NEAR, FILTER);
const STATUSES = ['any', 'passing', 'warning', 'critical', 'maintenance'];

export class HealthServiceQuery implements Dependency {
  readonly key: string;
  private readonly name: string;
  private readonly tag: string;
  private readonly dc: string;
  private readonly near: string;
  private readonly filters: string[];
  private readonly scope: ScopeParams;

  constructor(
    spec: string,
    private readonly connect: boolean,
  ) {
    const m = matchGroups(HEALTH_SERVICE, spec);
    if (!m) throw new Error(`health.service: invalid format: "${spec}"`);
    const filters: string[] = [];
    if (m.filter) {
      for (const raw of m.filter.split(',')) {
        const f = raw.trim();
        if (f === '') continue;
        if (!STATUSES.includes(f)) throw new Error(`health.service: invalid filter: "${f}" in "${spec}"`);
        filters.push(f);
      }
      filters.sort(byBytes);
    } else {
      filters.push('passing');
    }
    this.scope = parseScope(m.query, 'health.service');
    if (this.scope.peer && this.scope['sameness-group']) {
      throw new Error('health.service: cannot specify both peer and sameness-group');
    }
    this.name = m.name;
    this.tag = m.tag;
    this.dc = m.dc;
    this.near = m.near;
    this.filters = filters;
    let name = this.tag ? `${this.tag}.${this.name}` : this.name;
    name += scopeSuffix(this.dc, this.scope);
    if (this.near) name += `~${this.near}`;
    name += `|${filters.join(',')}`;
    this.key = `${connect ? 'health.connect' : 'health.service'}(${name})`;
  }

  async fetch(ctx: DependencyContext, opts: FetchOptions): Promise<FetchResult> {
    const passingOnly = this.filters.length === 1 && this.filters[0] === 'passing';
    const path = `/v1/health/${this.connect ? 'connect' : 'service'}/${encodeURIComponent(this.name)}`;
    const res = await ctx.client.get<ConstructorParameters<typeof HealthService>[0][] | null>(path, {
      query: {
        ...blockingQuery(opts, scopeQuery(this.dc, this.scope)),
        tag: this.tag || undefined,
        near: this.near || undefined,
        passing: passingOnly || undefined,
      },
      signal: opts.signal,
    });
    const list = (res.body ?? []).map((entry) => new HealthService(entry)).filter((s) => this.accepts(s.Status));
    if (!this.near) list.sort((a, b) => byBytes(a.Node, b.Node) || byBytes(a.ID, b.ID));
    return { value: list, index: res.meta.index, lastContact: res.meta.lastContact };
  }

  private accepts(status: string): boolean {
    return this.filters.some((f) => f === status || f === 'any');
  }
}

