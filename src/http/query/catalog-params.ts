import { WeftError } from '../../lib/errors.js';
import type { ApiRequest } from '../request.js';

/**
 * `?node-meta=key:value`, repeatable; every pair must match (Consul's parseMetaFilter and
 * SatisfiesMetaFilters). A value without a colon filters on an empty value.
 */
export function nodeMetaFilter(req: ApiRequest): Record<string, string> | null {
  const pairs = req.all('node-meta');
  if (pairs.length === 0) return null;
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf(':');
    if (i < 0) out[p] = '';
    else out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

export function satisfiesMeta(meta: Readonly<Record<string, string>>, filter: Readonly<Record<string, string>> | null): boolean {
  if (!filter) return true;
  for (const key in filter) if (meta[key] !== filter[key]) return false;
  return true;
}

/** `?tag=`, repeatable: an instance must carry every tag, compared case-insensitively as Consul does. */
export function tagFilter(req: ApiRequest): string[] | null {
  if (!req.has('tag')) return null;
  return req.all('tag').map((t) => t.toLowerCase());
}

export function hasTags(tags: readonly string[], wanted: readonly string[] | null): boolean {
  if (!wanted) return true;
  return wanted.every((w) => tags.some((t) => t.toLowerCase() === w));
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** A boolean query parameter parsed like Go's strconv.ParseBool; present without a value means true. */
export function boolParam(req: ApiRequest, name: string): boolean {
  if (!req.has(name)) return false;
  const v = req.get(name) ?? '';
  if (v === '' || TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new WeftError('BAD_REQUEST', `Invalid value for ?${name}`);
}
