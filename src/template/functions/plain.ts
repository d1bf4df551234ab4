/**
 * Template values reduced to what encoders see, following Go's reflection: maps (plain
 * objects, Maps) list their keys sorted, structs (class instances) their fields in
 * declaration order, times are RFC 3339 strings.
 */
import { isPlainObject } from '../engine/values.js';

export type Plain = null | boolean | number | bigint | string | Plain[] | PlainObject;

export class PlainObject {
  constructor(
    readonly entries: [string, Plain][],
    /** A Go struct rather than a map (YAML lowercases struct field names). */
    readonly struct: boolean,
  ) {}
}

/** Go's time.Time MarshalJSON: RFC 3339 with nanoseconds, trailing zeros dropped. */
export function rfc3339Nano(d: Date): string {
  return d.toISOString().replace(/\.?0+Z$/, 'Z');
}

const byKey = (a: [string, Plain], b: [string, Plain]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export function toPlain(v: unknown, fn: string, depth = 0): Plain {
  if (depth > 100) throw new Error(`${fn}: json: unsupported value: encountered a cycle`);
  switch (typeof v) {
    case 'undefined': return null;
    case 'boolean':
    case 'string':
    case 'bigint': return v;
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`${fn}: json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
      return v;
    case 'function': throw new Error(`${fn}: json: unsupported type: func`);
    case 'symbol': return String(v);
  }
  if (v === null) return null;
  if (v instanceof Date) return rfc3339Nano(v);
  if (Array.isArray(v) || v instanceof Set) return [...v].map((x) => toPlain(x, fn, depth + 1));
  if (v instanceof Map) {
    return new PlainObject([...v.entries()].map(([k, x]): [string, Plain] => [String(k), toPlain(x, fn, depth + 1)]).sort(byKey), false);
  }
  const obj = v as Record<string, unknown>;
  if (isPlainObject(obj)) {
    return new PlainObject(Object.keys(obj).map((k): [string, Plain] => [k, toPlain(obj[k], fn, depth + 1)]).sort(byKey), false);
  }
  const fields = Object.keys(obj).filter((k) => typeof obj[k] !== 'function');
  return new PlainObject(fields.map((k): [string, Plain] => [k, toPlain(obj[k], fn, depth + 1)]), true);
}
