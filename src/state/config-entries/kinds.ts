import { WeftError } from '../../lib/errors.js';
import { decodeObject, type ObjectSchema } from './schema.js';
import type { ConfigEntry, ConfigEntryInput } from './types.js';

/** What a graph check sees: every entry as it would be once the proposed change is applied. */
export interface ConfigView {
  get(kind: string, name: string): ConfigEntry | ConfigEntryInput | undefined;
  list(kind: string): (ConfigEntry | ConfigEntryInput)[];
}

export interface ConfigKindDef {
  kind: string;
  /** Fields besides Kind, Name and Meta, which every kind has. */
  schema: ObjectSchema;
  /** Deterministic clean-up before storing: defaults, derived fields, canonical case. */
  normalize?(entry: ConfigEntryInput): ConfigEntryInput;
  /** Checks the entry on its own; throws WeftError BAD_REQUEST with the reason. */
  validate?(entry: ConfigEntryInput): void;
}

/**
 * A check across entries (an L7 intention needs an HTTP protocol from service-defaults).
 * Runs after every write and delete, with the change applied; throws to refuse it.
 */
export type ConfigGraphCheck = (view: ConfigView, changed: { kind: string; name: string }) => void;

const kinds = new Map<string, ConfigKindDef>();
const graphChecks: ConfigGraphCheck[] = [];

export function defineConfigKind(def: ConfigKindDef): void {
  if (kinds.has(def.kind)) throw new Error(`config entry kind ${def.kind} defined twice`);
  kinds.set(def.kind, def);
}

export function defineConfigGraphCheck(check: ConfigGraphCheck): void {
  graphChecks.push(check);
}

export function configKindDef(kind: string): ConfigKindDef {
  const def = kinds.get(kind);
  if (!def) throw new WeftError('BAD_REQUEST', `invalid config entry kind: ${kind}`);
  return def;
}

export function runGraphChecks(view: ConfigView, changed: { kind: string; name: string }): void {
  for (const check of graphChecks) check(view, changed);
}

export const META_MAX_PAIRS = 64;
export const META_KEY_MAX = 128;
export const META_VALUE_MAX = 512;

/**
 * Decodes a user-written entry (JSON body or parsed HCL): `Kind` picks the definition, keys
 * match case-insensitively or in snake_case, and the result is normalised and validated.
 */
export function decodeConfigEntry(raw: unknown): ConfigEntryInput {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new WeftError('BAD_REQUEST', 'Request decoding failed: expected a JSON object');
  const kindKey = Object.keys(raw).find((k) => k.toLowerCase() === 'kind');
  const kind = kindKey ? (raw as Record<string, unknown>)[kindKey] : undefined;
  if (typeof kind !== 'string' || kind === '') throw new WeftError('BAD_REQUEST', 'Request decoding failed: Kind value in payload is missing');
  const def = configKindDef(kind.toLowerCase());
  const schema: ObjectSchema = { fields: { Kind: 'string', Name: 'string', ...def.schema.fields, Meta: 'stringMap', Namespace: 'string', Partition: 'string' } };
  // Like Consul, the indexes of an entry read back are ignored, so `read` output can be written again.
  const body = Object.fromEntries(Object.entries(raw).filter(([k]) => !/^(create|modify)_?index$/i.test(k)));
  const entry = decodeObject(body, schema) as ConfigEntryInput;
  for (const f of ['Namespace', 'Partition'] as const) {
    const v = entry[f];
    if (v !== undefined && v !== '' && v !== 'default') throw new WeftError('BAD_REQUEST', `${f} "${String(v)}" is not supported: Weft has only the default ${f.toLowerCase()}`);
    delete entry[f];
  }
  return prepareConfigEntry({ ...entry, Kind: def.kind, Name: entry.Name ?? '' });
}

/** Normalises and validates an entry of a known kind (also run again by the op handler). */
export function prepareConfigEntry(entry: ConfigEntryInput): ConfigEntryInput {
  const def = configKindDef(entry.Kind);
  const out = inFieldOrder(def.normalize ? def.normalize(entry) : entry, def);
  if (!out.Name) throw new WeftError('BAD_REQUEST', 'Name is required');
  validateMeta(out.Meta);
  def.validate?.(out);
  return out;
}

/** Kind, Name, the kind's fields as its schema lists them, Meta: the order Consul's JSON has. */
function inFieldOrder(entry: ConfigEntryInput, def: ConfigKindDef): ConfigEntryInput {
  const out: Record<string, unknown> = {};
  for (const k of ['Kind', 'Name', ...Object.keys(def.schema.fields), 'Meta']) if (k in entry) out[k] = entry[k];
  for (const [k, v] of Object.entries(entry)) if (!(k in out)) out[k] = v;
  return out as ConfigEntryInput;
}

export function validateMeta(meta: Record<string, string> | undefined): void {
  if (!meta) return;
  const keys = Object.keys(meta);
  if (keys.length > META_MAX_PAIRS) throw new WeftError('BAD_REQUEST', `Meta exceeds maximum element count ${META_MAX_PAIRS}`);
  for (const k of keys) {
    if (k.length > META_KEY_MAX) throw new WeftError('BAD_REQUEST', `Meta key "${k}" exceeds maximum length ${META_KEY_MAX}`);
    if (meta[k].length > META_VALUE_MAX) throw new WeftError('BAD_REQUEST', `Meta value for key "${k}" exceeds maximum length ${META_VALUE_MAX}`);
  }
}
