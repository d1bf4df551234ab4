import { formatDuration, parseDuration } from '../../lib/duration.js';
import { WeftError } from '../../lib/errors.js';

/**
 * The shape of a config entry kind, used to decode what users write (JSON bodies, HCL files)
 * into canonical PascalCase entries. Keys match Consul's decoder: case-insensitively and with
 * snake_case aliases (`path_prefix` = `PathPrefix`); unknown keys are refused. As Consul's
 * decoder does for HCL, a list holding one object is accepted where an object (or map) is
 * expected: HCL writes every block (`match { ... }`) as a list of blocks.
 */
export type FieldType =
  | 'string'
  | 'bool'
  | 'int'
  | 'float'
  /** A Go duration string or a number of nanoseconds; stored as Go's canonical string ("5s"); zero is left out. */
  | 'duration'
  /**
   * The same input, stored as whole nanoseconds: the fields Consul's JSON carries as a bare
   * time.Duration (PassiveHealthCheck.Interval, CookieConfig.TTL); zero is left out.
   */
  | 'durationNs'
  | 'stringList'
  | 'stringMap'
  /** Opaque JSON kept as given (proxy-defaults Config). */
  | 'any'
  | ObjectSchema
  | { list: FieldType }
  | { map: FieldType };

export interface ObjectSchema {
  fields: Record<string, FieldType>;
}

export const objectOf = (fields: Record<string, FieldType>): ObjectSchema => ({ fields });

function fail(message: string): WeftError {
  return new WeftError('BAD_REQUEST', `Request decoding failed: ${message}`);
}

const squash = (key: string): string => key.replace(/_/g, '').toLowerCase();

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Decodes `raw` against `schema`; `path` prefixes field names in errors (`Sources[0].Action`). */
export function decodeObject(raw: unknown, schema: ObjectSchema, path = ''): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail(`${path || 'entry'}: expected an object, got ${kindOf(raw)}`);
  const byKey = new Map<string, string>();
  for (const name of Object.keys(schema.fields)) byKey.set(squash(name), name);
  const decoded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const name = byKey.get(squash(key));
    const where = path ? `${path}.${name ?? key}` : (name ?? key);
    if (!name) throw fail(`invalid config key "${where}"`);
    if (value === null || value === undefined) continue;
    const v = decodeValue(value, schema.fields[name], where);
    if (v !== undefined) decoded[name] = v;
  }
  // Fields come out in the schema's order (Consul's struct order), however they were written.
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(schema.fields)) if (name in decoded) out[name] = decoded[name];
  return out;
}

/** One HCL block (`[{...}]`) where a single object is expected. */
function unwrapBlock(v: unknown): unknown {
  return Array.isArray(v) && v.length === 1 && v[0] !== null && typeof v[0] === 'object' && !Array.isArray(v[0]) ? v[0] : v;
}

function decodeValue(raw: unknown, type: FieldType, where: string): unknown {
  const objectLike = typeof type === 'object' ? !('list' in type) : type === 'stringMap';
  const v = objectLike ? unwrapBlock(raw) : raw;
  if (typeof type === 'object') {
    if ('fields' in type) return decodeObject(v, type, where);
    if ('list' in type) {
      if (!Array.isArray(v)) throw fail(`${where}: expected a list, got ${kindOf(v)}`);
      return v.map((item, i) => decodeValue(item, type.list, `${where}[${i}]`));
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw fail(`${where}: expected an object, got ${kindOf(v)}`);
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, item]) => [k, decodeValue(item, type.map, `${where}[${k}]`)]));
  }
  switch (type) {
    case 'any':
      return v;
    case 'string':
      if (typeof v !== 'string') throw fail(`${where}: expected a string, got ${kindOf(v)}`);
      return v;
    case 'bool':
      if (typeof v !== 'boolean') throw fail(`${where}: expected a bool, got ${kindOf(v)}`);
      return v;
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw fail(`${where}: expected an integer, got ${kindOf(v)}`);
      return v;
    case 'float':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw fail(`${where}: expected a number, got ${kindOf(v)}`);
      return v;
    case 'duration': {
      const ms = durationMs(v, where);
      return ms === 0 ? undefined : formatDuration(ms);
    }
    case 'durationNs': {
      const ns = Math.round(durationMs(v, where) * 1e6);
      return ns === 0 ? undefined : ns;
    }
    case 'stringList':
      if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw fail(`${where}: expected a list of strings`);
      return [...v];
    case 'stringMap':
      if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((s) => typeof s !== 'string')) {
        throw fail(`${where}: expected a map of strings`);
      }
      return { ...(v as Record<string, string>) };
  }
}

function durationMs(v: unknown, where: string): number {
  if (typeof v === 'number') return v / 1e6;
  if (typeof v !== 'string') throw fail(`${where}: expected a duration, got ${kindOf(v)}`);
  try {
    return parseDuration(v);
  } catch (err) {
    throw fail(`${where}: ${(err as Error).message}`);
  }
}
