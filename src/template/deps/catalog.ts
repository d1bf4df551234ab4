/** Catalog dependencies: `services`, `nodes`, `node`. */
import { blockingQuery, type Dependency, type DependencyContext, type FetchOptions, type FetchResult } from './dependency.js';
import { DC, grammar, matchGroups, NEAR, NODE_NAME, parseScope, QUERY, scopeQuery, scopeSuffix, type ScopeParams } from './query-syntax.js';
import { CatalogNode, CatalogNodeService, CatalogSnippet, Node } from './shapes/catalog.js';
import { byBytes, ServiceTags } from './shapes/service-tags.js';

type Json = Record<string, unknown>;

const CATALOG_SERVICES = grammar(QUERY, DC);
const CATALOG_NODES = grammar(QUERY, DC, NEAR);
const CATALOG_NODE = grammar(NODE_NAME, QUERY, DC);

/** Every service name with the union of its instances' tags, sorted by name. */
export class CatalogServicesQuery implements Dependency {
  readonly key: string;
  private readonly dc: string;
  private readonly scope: ScopeParams;

  constructor(spec: string) {
    const m = matchGroups(CATALOG_SERVICES, spec);
    if (!m) throw new Error(`catalog.services: invalid format: "${spec}"`);
    this.dc = m.dc;
    this.scope = parseScope(m.query, 'catalog.services');
    const suffix = scopeSuffix(this.dc, this.scope);
    this.key = suffix ? `catalog.services(${suffix})` : 'catalog.services';
  }

  async fetch(ctx: DependencyContext, opts: FetchOptions): Promise<FetchResult> {
    const res = await ctx.client.get<Record<string, string[] | null>>('/v1/catalog/services', {
      query: blockingQuery(opts, scopeQuery(this.dc, this.scope)),
      signal: opts.signal,
    });
    const list = Object.entries(res.body ?? {})
      .map(([name, tags]) => new CatalogSnippet(name, ServiceTags.sorted(tags)))
      .sort((a, b) => byBytes(a.Name, b.Name));
    return { value: list, index: res.meta.index, lastContact: res.meta.lastContact };
  }
}

/** Every node, sorted by name then address unless `~near` orders them by distance. */
export class CatalogNodesQuery implements Dependency {
  readonly key: string;
  private readonly dc: string;
  private readonly near: string;
  private readonly scope: ScopeParams;

  constructor(spec: string) {
    const m = matchGroups(CATALOG_NODES, spec);
    if (!m) throw new Error(`catalog.nodes: invalid format: "${spec}"`);
    this.dc = m.dc;
    this.near = m.near;
    this.scope = parseScope(m.query, 'catalog.nodes');
    const name = scopeSuffix(this.dc, this.scope) + (this.near ? `~${this.near}` : '');
    this.key = name ? `catalog.nodes(${name})` : 'catalog.nodes';
  }

  async fetch(ctx: DependencyContext, opts: FetchOptions): Promise<FetchResult> {
    const res = await ctx.client.get<Json[] | null>('/v1/catalog/nodes', {
      query: { ...blockingQuery(opts, scopeQuery(this.dc, this.scope)), near: this.near || undefined },
      signal: opts.signal,
    });
    const nodes = (res.body ?? []).map((n) => new Node(n));
    if (!this.near) nodes.sort((a, b) => byBytes(a.Node, b.Node) || byBytes(a.Address, b.Address));
    return { value: nodes, index: res.meta.index, lastContact: res.meta.lastContact };
  }
}

/** One node and its services; with no name, the node of the agent we talk to. */
export class CatalogNodeQuery implements Dependency {
  readonly key: string;
  private readonly name: string;
  private readonly dc: string;
  private readonly scope: ScopeParams;

  constructor(spec: string) {
    const m = spec === '' ? { name: '', dc: '', query: '' } : matchGroups(CATALOG_NODE, spec);
    if (!m) throw new Error(`catalog.node: invalid format: "${spec}"`);
    this.name = m.name;
    this.dc = m.dc;
    this.scope = parseScope(m.query, 'catalog.node');
    const name = this.name + scopeSuffix(this.dc, this.scope);
    this.key = name ? `catalog.node(${name})` : 'catalog.node';
  }

  async fetch(ctx: DependencyContext, opts: FetchOptions): Promise<FetchResult> {
    let name = this.name;
    if (!name) {
      const self = await ctx.client.get<{ Config?: { NodeName?: string } }>('/v1/agent/self', { signal: opts.signal });
      name = self.body.Config?.NodeName ?? '';
    }
    const res = await ctx.client.get<{ Node?: Json; Services?: Record<string, Json> } | null>(`/v1/catalog/node/${encodeURIComponent(name)}`, {
      query: blockingQuery(opts, scopeQuery(this.dc, this.scope)),
      signal: opts.signal,
    });
    const body = res.body;
    if (!body?.Node) return { value: new CatalogNode(null, null), index: res.meta.index, lastContact: res.meta.lastContact };
    const services = Object.values(body.Services ?? {})
      .map((s) => new CatalogNodeService(s))
      .sort((a, b) => byBytes(a.Service, b.Service) || byBytes(a.ID, b.ID));
    return { value: new CatalogNode(new Node(body.Node), services), index: res.meta.index, lastContact: res.meta.lastContact };
  }
}
