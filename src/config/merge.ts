/**
 * Merging configuration layers the way Consul does: later layers win for scalars,
 * objects merge key by key (`node_meta`, `dns_config.service_ttl`, `connect.ca_config`),
 * the lists Consul appends are appended, other lists are replaced.
 * Every value remembers which layer set it, so cross-field problems can name a file.
 */
import type { FileConfig } from './schema.js';

/** Lists that accumulate across files and flags. */
export const APPEND_PATHS: ReadonlySet<string> = new Set(['services', 'checks', 'retry_join', 'recursors']);

/** Dotted path → name of the layer (file, 'flags', 'dev') that last set it. */
export type Origins = Map<string, string>;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Per-layer rewrites before merging:
 * - a single `service` / `check` joins the layer's own plural list (after it), as in
 *   Consul, so definitions from every file accumulate instead of overriding;
 * - the older top-level `ui` sets `ui_config.enabled` unless the same layer sets that,
 *   so a later file or the `-ui` flag overrides an earlier layer (including `-dev`).
 */
export function canonicalLayer(layer: FileConfig): FileConfig {
  const { service, check, ui, ...rest } = layer;
  const out: FileConfig = { ...rest };
  if (ui !== undefined) out.ui_config = { enabled: ui, ...rest.ui_config };
  if (layer.services !== undefined || service !== undefined) out.services = [...(layer.services ?? []), ...asList(service)];
  if (layer.checks !== undefined || check !== undefined) out.checks = [...(layer.checks ?? []), ...asList(check)];
  return out;
}

function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Merges `layer` into `target` in place. */
export function mergeLayer(target: Obj, layer: Obj, source: string, origins: Origins, prefix = ''): void {
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const current = target[key];
    if (Array.isArray(value)) {
      const append = APPEND_PATHS.has(path) && Array.isArray(current);
      target[key] = append ? [...(current as unknown[]), ...structuredClone(value)] : structuredClone(value);
      origins.set(path, source);
    } else if (isObj(value)) {
      if (!isObj(current)) target[key] = {};
      mergeLayer(target[key] as Obj, value, source, origins, path);
    } else {
      target[key] = value;
      origins.set(path, source);
    }
  }
}

/** The layer that set `path`, or the closest enclosing path; undefined for defaults. */
export function originOf(origins: Origins, path: string): string | undefined {
  for (let p = path; p !== ''; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const source = origins.get(p);
    if (source !== undefined) return source;
  }
  return undefined;
}
