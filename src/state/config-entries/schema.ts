import { formatDuration, parseDuration } from '../../lib/duration.js';
import { WeftError } from '../../lib/errors.js';

/**
 * The shape of a config entry kind, used to decode what users write (JSON bodies, HCL files)
 * into canonical PascalCase entries. Keys match Consul's decoder: case-insensitively and with
 * snake_case aliases (`path_prefix` = `PathPrefix`); unknown keys are refused.
 */
export type FieldType =
  | 'string'
  | 'bool'
  | 'int'
  | 'float'
  /** A Go duration string or a number of nanoseconds; stored as Go's canonical string ("5s"). */
  | 'duration'
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
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const name = byKey.get(squash(key));
    const where = path ? `${path}.${name ?? key}` : (name ?? key);
    if (!name) throw fail(`invalid config key "${where}"`);
    if (value === null || value === undefined) continue;
    out[name] = decodeValue(value, schema.fields[name], where);
  }
  return out;
}

function decodeValue(v: unknown, type: FieldType, where: string): unknown {
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
    case 'duration':
      return formatDuration(durationMs(v, where));
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
