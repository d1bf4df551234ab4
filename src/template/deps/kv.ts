/**
 * KV dependencies: `key`, `keyExists`, `keyOrDefault` read one key (kv.get); `ls`, `tree`
 * and their safe variants read a prefix (kv.list).
 */
import { blockingQuery, type Dependency, type DependencyContext, type FetchOptions, type FetchResult } from './dependency.js';
import { DC, grammar, KEY, matchGroups, parseScope, PREFIX, QUERY, scopeQuery, scopeSuffix, type ScopeParams } from './query-syntax.js';
import { KeyPair } from './shapes/kv.js';

const KV_GET = grammar(KEY, QUERY, DC);
const KV_LIST = grammar(PREFIX, QUERY, DC);

interface KvEntry {
  Key: string;
  Value: string | null;
  CreateIndex: number;
  ModifyIndex: number;
  LockIndex: number;
  Flags: number;
  Session?: string;
}

const decode = (v: string | null): string => (v ? Buffer.from(v, 'base64').toString('utf8') : '');

/** A key's value as a string, or null when the key does not exist. */
export class KvGetQuery implements Dependency {
  readonly key: string;
  private readonly path: string;
  private readonly dc: string;
  private readonly scope: ScopeParams;

  /** `blockOnNil`: `key` waits for the key to exist; `keyExists`/`keyOrDefault` do not. */
  constructor(
    spec: string,
    readonly blockOnNil: boolean,
  ) {
    const m = matchGroups(KV_GET, spec);
    if (!m) throw new Error(`kv.get: invalid format: "${spec}"`);
    this.path = m.key;
    this.dc = m.dc;
    this.scope = parseScope(m.query, 'kv.get');
    this.key = `${blockOnNil ? 'kv.block' : 'kv.get'}(${this.path}${scopeSuffix(this.dc, this.scope)})`;
  }

  async fetch(ctx: DependencyContext, opts: FetchOptions): Promise<FetchResult> {
    const res = await ctx.client.get<KvEntry[] | undefined>(`/v1/kv/${encodeKey(this.path)}`, {
      query: blockingQuery(opts, scopeQuery(this.dc, this.scope)),
      accept: [404],
      signal: opts.signal,
    });
    const entry = res.status === 404 ? undefined : res.body?.[0];
    return { value: entry ? decode(entry.Value) : null, index: res.meta.index, lastContact: res.meta.lastContact };
  }
}

/** Every pair under a prefix; `Key` relative to it. */
export class KvListQuery implements Dependency {
  readonly key: string;
  private readonly prefix: string;
  private readonly dc: string;
  private readonly scope: ScopeParams;

  constructor(spec: string) {
    const m = matchGroups(KV_LIST, spec);
    if (!m) throw new Error(`kv.list: invalid format: "${spec}"`);
    this.prefix = m.prefix;
    this.dc = m.dc;
    this.scope = parseScope(m.query, 'kv.list');
    this.key = `kv.list(${this.prefix}${scopeSuffix(this.dc, this.scope)})`;
  }

  async fetch(ctx: DependencyContext, opts: FetchOptions): Promise<FetchResult> {
    const res = await ctx.client.get<KvEntry[] | undefined>(`/v1/kv/${encodeKey(this.prefix)}`, {
      query: { ...blockingQuery(opts, scopeQuery(this.dc, this.scope)), recurse: true },
      accept: [404],
      signal: opts.signal,
    });
    const entries = res.status === 404 ? [] : (res.body ?? []);
    const pairs = entries.map((e) => {
      const rel = (e.Key.startsWith(this.prefix) ? e.Key.slice(this.prefix.length) : e.Key).replace(/^\/+/, '');
      return new KeyPair(e.Key, rel, decode(e.Value), e.CreateIndex, e.ModifyIndex, e.LockIndex, e.Flags, e.Session ?? '');
    });
    return { value: pairs, index: res.meta.index, lastContact: res.meta.lastContact };
  }
}

/** Keys are paths: keep the slashes, escape everything else a URL would misread. */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
