/**
 * The argument syntax of consul-template's data functions:
 * `tag.name?ns=x&partition=y@dc~near|passing,warning`, each part optional where the
 * function allows it. The grammar is consul-template's (dependency/dependency.go), so an
 * argument that consul-template rejects is rejected here with the same wording.
 */

const W = 'A-Za-z0-9_';
export const DC = `(?:@(?<dc>[${W}.\\-]+))?`;
export const KEY = `/?(?<key>[^@?]+)`;
export const FILTER = `(?:\\|(?<filter>[${W},]+))?`;
export const SERVICE_NAME = `(?<name>[${W}\\-]+)`;
export const QUERY = `(?:\\?(?<query>[${W}\\-=&]+))?`;
export const NODE_NAME = `(?<name>[${W}.\\-]+)`;
export const NEAR = `(?:~(?<near>[${W}.\\-]+))?`;
export const PREFIX = `/?(?<prefix>[^@?]+)`;
export const TAG = `(?:(?<tag>[${W}=:.\\-]+)\\.)?`;

export function grammar(...parts: string[]): RegExp {
  return new RegExp(`^(?:${parts.join('')})$`);
}

/** Named groups of a match; absent groups are ''. */
export function matchGroups(re: RegExp, s: string): Record<string, string> | null {
  const m = re.exec(s);
  if (!m) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) out[k] = v ?? '';
  return out;
}

const QUERY_KEYS = ['ns', 'peer', 'partition', 'sameness-group'];

export interface ScopeParams {
  ns?: string;
  partition?: string;
  peer?: string;
  'sameness-group'?: string;
}

/** `?ns=a&partition=b`; only the keys Consul scopes queries by are allowed. */
export function parseScope(raw: string, label: string): ScopeParams {
  const out: ScopeParams = {};
  if (!raw) return out;
  const params = new URLSearchParams(raw);
  for (const [k, v] of params) {
    if (!QUERY_KEYS.includes(k)) {
      throw new Error(`${label}: invalid query parameter key "${k}" in query "${raw}": supported keys: ${QUERY_KEYS.join(',')}`);
    }
    out[k as keyof ScopeParams] = v;
  }
  return out;
}

/** `name@dc@partition=p@ns=n`, the tail consul-template prints in dependency names. */
export function scopeSuffix(dc: string, scope: ScopeParams): string {
  let s = '';
  if (dc) s += `@${dc}`;
  if (scope.partition) s += `@partition=${scope.partition}`;
  if (scope.ns) s += `@ns=${scope.ns}`;
  if (scope.peer) s += `@peer=${scope.peer}`;
  if (scope['sameness-group']) s += `@sameness-group=${scope['sameness-group']}`;
  return s;
}

/** The query parameters a scoped read sends. */
export function scopeQuery(dc: string, scope: ScopeParams): Record<string, string | undefined> {
  return { dc: dc || undefined, ns: scope.ns, partition: scope.partition, peer: scope.peer, 'sameness-group': scope['sameness-group'] };
}
