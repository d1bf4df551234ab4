/** consul-template's list and map helpers: membership tests, grouping, exploding KV pairs into maps. */
import { withSignature, type TemplateFunc } from '../engine/index.js';
import { typeName } from '../engine/values.js';
import { HealthService } from '../deps/shapes/health.js';
import { CatalogSnippet } from '../deps/shapes/catalog.js';
import { KeyPair } from '../deps/shapes/kv.js';

type GoMap = Record<string, unknown>;

const newMap = (): GoMap => Object.create(null) as GoMap;
const isMap = (v: unknown): v is GoMap =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null);
const listOf = (v: unknown): unknown[] => (v === null || v === undefined ? [] : v instanceof Set ? [...v] : Array.isArray(v) ? v : []);

/** consul-template's `in`: a list holding an equal number or string, or a string containing a substring. */
export function within(l: unknown, v: unknown): boolean {
  if (Array.isArray(l) || l instanceof Set) {
    for (const item of l) {
      if (typeof item === 'number' && typeof v === 'number' && item === v) return true;
      if (typeof item === 'string' && typeof v === 'string' && item === v) return true;
    }
    return false;
  }
  return typeof l === 'string' && typeof v === 'string' && l.includes(v);
}

/** containsAll/Any/None/NotAll: `retTrue` is the answer when no needle decides it; `invert` flips the test. */
const containsSome = (retTrue: boolean, invert: boolean) => (needles: unknown, haystack: unknown) => {
  for (const n of listOf(needles)) if (within(haystack, n) !== invert) return !retTrue;
  return retTrue;
};

function tagsOf(s: unknown): readonly string[] | undefined {
  if (s instanceof HealthService || s instanceof CatalogSnippet) return s.Tags;
  if (isMap(s) && Array.isArray(s.ServiceTags)) return s.ServiceTags as string[];
  return undefined;
}

function byTag(list: unknown): GoMap {
  const out = newMap();
  if (list === null || list === undefined) return out;
  if (!Array.isArray(list)) throw new Error(`byTag: wrong argument type ${typeName(list)}`);
  for (const s of list) {
    const tags = tagsOf(s);
    if (!tags) throw new Error(`byTag: wrong argument type ${typeName(list)}`);
    for (const t of tags) ((out[t] ??= []) as unknown[]).push(s);
  }
  return out;
}

function byPort(list: unknown): Map<number, unknown[]> {
  const out = new Map<number, unknown[]>();
  if (list === null || list === undefined) return out;
  if (!Array.isArray(list)) throw new Error(`byPort: wrong argument type ${typeName(list)}`);
  for (const s of list) {
    if (!(s instanceof HealthService)) throw new Error(`byPort: wrong argument type ${typeName(list)}`);
    const group = out.get(s.Port) ?? [];
    group.push(s);
    out.set(s.Port, group);
  }
  return out;
}

/** Groups services by ServiceMeta values; `key|int` pads numbers so maps sort numerically. */
function byMeta(meta: string, services: unknown): GoMap {
  const out = newMap();
  const normalize = (x: string) => x.replace(/[^a-zA-Z0-9_-]/g, '_');
  for (const s of listOf(services)) {
    if (!(s instanceof HealthService)) throw new Error(`byMeta: wrong argument type ${typeName(services)}`);
    const parts = meta.split(',').map((m) => {
      const realKey = m.replace(/\|int$/, '');
      let value = s.ServiceMeta[realKey] || (m.endsWith('|int') ? '0' : `_no_${realKey}_`);
      if (m.endsWith('|int')) {
        if (!/^[+-]?\d+$/.test(value)) throw new Error(`cannot parse ${value} as number : strconv.Atoi: parsing "${value}": invalid syntax`);
        const n = Number(value);
        value = (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(n < 0 ? 4 : 5, '0');
      }
      return normalize(value);
    });
    ((out[parts.join('_')] ??= []) as unknown[]).push(s);
  }
  return out;
}

function pairsOf(v: unknown, fn: string): KeyPair[] {
  const list = listOf(v);
  for (const p of list) if (!(p instanceof KeyPair)) throw new Error(`${fn}: wrong argument type ${typeName(v)}`);
  return list as KeyPair[];
}

/** Groups pairs by their top-level directory, stripping it from each Key. */
function byKey(pairs: unknown): GoMap {
  const out = newMap();
  for (const p of pairsOf(pairs, 'byKey')) {
    const [top, ...rest] = p.Key.split('/');
    const key = rest.join('/');
    if (key === '') continue;
    const group = (out[top] ??= newMap()) as GoMap;
    group[key] = p.withKey(key);
  }
  return out;
}

function explodeInto(m: GoMap, k: string, v: unknown, path: string): void {
  const slash = k.indexOf('/');
  if (slash < 0) {
    if (k !== '') m[k] = v;
    return;
  }
  const top = k.slice(0, slash);
  if (!(top in m)) m[top] = newMap();
  const nest = m[top];
  if (!isMap(nest)) throw new Error(`not a map: "${path}": "${top}" already has value "${String(nest)}"`);
  explodeInto(nest, k.slice(slash + 1), v, k);
}

function explode(pairs: unknown): GoMap {
  const out = newMap();
  try {
    for (const p of pairsOf(pairs, 'explode')) explodeInto(out, p.Key, p.Value, p.Key);
  } catch (err) {
    throw new Error(`explode: ${(err as Error).message}`);
  }
  return out;
}

function explodeMap(m: unknown): GoMap {
  const out = newMap();
  if (!isMap(m)) throw new Error(`explodeMap: wrong argument type ${typeName(m)}`);
  try {
    for (const k of Object.keys(m).sort()) explodeInto(out, k, m[k], k);
  } catch (err) {
    throw new Error(`explodeMap: ${(err as Error).message}`);
  }
  return out;
}

/** mergo.Map: fills `dst` from `src` recursively; with `override`, src's values win. */
function merge(dst: unknown, src: unknown, override: boolean): GoMap {
  if (!isMap(dst) || !isMap(src)) throw new Error(`wrong type for value; expected map[string]interface {}`);
  const out = Object.assign(newMap(), dst);
  for (const [k, v] of Object.entries(src)) {
    if (isMap(out[k]) && isMap(v)) out[k] = merge(out[k], v, override);
    else if (!(k in out) || override || out[k] === '' || out[k] === null || out[k] === undefined) out[k] = v;
  }
  return out;
}

function toInt(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    if (v === '') return 0;
    if (/^[+-]?\d+$/.test(v)) return Number(v);
    throw new Error(`strconv.ParseInt: parsing "${v}": invalid syntax`);
  }
  throw new Error(`loop: bad argument type: ${typeName(v)}`);
}

function loop(...args: unknown[]): number[] {
  if (args.length < 1 || args.length > 2) throw new Error(`loop: wrong number of arguments, expected 1 or 2, but got ${args.length}`);
  const [start, stop] = args.length === 1 ? [0, toInt(args[0])] : [toInt(args[0]), toInt(args[1])];
  const out: number[] = [];
  for (let i = start; i < stop; i++) out.push(i);
  return out;
}

export const collectionFunctions: Record<string, TemplateFunc> = {
  contains: withSignature((v, l) => within(l, v), { args: 2 }),
  in: withSignature((l, v) => within(l, v), { args: 2 }),
  containsAll: withSignature(containsSome(true, true), { args: 2 }),
  containsAny: withSignature(containsSome(false, false), { args: 2 }),
  containsNone: withSignature(containsSome(true, false), { args: 2 }),
  containsNotAll: withSignature(containsSome(false, true), { args: 2 }),
  byKey: withSignature(byKey, { args: 1 }),
  byTag: withSignature(byTag, { args: 1 }),
  byPort: withSignature(byPort, { args: 1 }),
  byMeta: withSignature((meta, services) => byMeta(meta as string, services), { args: 2, stringArgs: [0] }),
  explode: withSignature(explode, { args: 1 }),
  explodeMap: withSignature(explodeMap, { args: 1 }),
  mergeMap: withSignature((dst, src) => merge(dst, src, false), { args: 2 }),
  mergeMapWithOverride: withSignature((dst, src) => merge(dst, src, true), { args: 2 }),
  loop: withSignature(loop as TemplateFunc, { args: 0, variadic: true }),
};
