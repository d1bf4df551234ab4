import { WeftError } from '../../lib/errors.js';
import {
  META_KEY_MAX,
  META_MAX_PAIRS,
  META_VALUE_MAX,
  PROXY_DEFAULTS,
  SERVICE_DEFAULTS,
  defineConfigGraphCheck,
  defineConfigKind,
  isHttpLike,
  objectOf,
  serviceProtocol,
  type ConfigEntryInput,
  type ConfigView,
} from '../config-entries/index.js';
import { intentionPrecedence } from './intention-precedence.js';
import { SERVICE_INTENTIONS, WILDCARD, type IntentionPermission, type ServiceIntentionsInput, type SourceIntention } from './intention-types.js';

const header = objectOf({ Name: 'string', Present: 'bool', Exact: 'string', Prefix: 'string', Suffix: 'string', Regex: 'string', Invert: 'bool' });
const http = objectOf({ PathExact: 'string', PathPrefix: 'string', PathRegex: 'string', Header: { list: header }, Methods: 'stringList' });
/** An L7 permission as written in an entry or an exact-intention body. */
export const permissionSchema = objectOf({ Action: 'string', HTTP: http });
const source = objectOf({
  Name: 'string',
  Namespace: 'string',
  Partition: 'string',
  Action: 'string',
  Permissions: { list: permissionSchema },
  Precedence: 'int',
  Type: 'string',
  Description: 'string',
  LegacyID: 'string',
  LegacyMeta: 'stringMap',
  LegacyCreateTime: 'string',
  LegacyUpdateTime: 'string',
});

const bad = (message: string): WeftError => new WeftError('BAD_REQUEST', message);

/**
 * Deterministic clean-up of an entry: default source type, computed precedence, upper-case
 * methods, sources sorted by precedence. A write through /v1/config (`keepLegacy` false) also
 * drops the legacy ID fields, as Consul does when an entry is written directly.
 */
export function normalizeIntentions(entry: ConfigEntryInput, keepLegacy: boolean): ServiceIntentionsInput {
  const sources = ((entry.Sources as (SourceIntention & { Namespace?: string; Partition?: string })[] | undefined) ?? []).map((raw, i) => {
    const { Namespace, Partition, ...src } = raw;
    for (const [field, v] of [['Namespace', Namespace], ['Partition', Partition]] as const) {
      if (v !== undefined && v !== '' && v !== 'default') throw bad(`Sources[${i}].${field} "${v}" is not supported: Weft has only the default ${field.toLowerCase()}`);
    }
    const out: SourceIntention = { ...src, Type: src.Type || 'consul', Precedence: intentionPrecedence(src.Name, entry.Name) };
    if (!keepLegacy) {
      delete out.LegacyID;
      delete out.LegacyCreateTime;
      delete out.LegacyUpdateTime;
    }
    if (out.Permissions) {
      out.Permissions = out.Permissions.map((p) => (p.HTTP?.Methods ? { ...p, HTTP: { ...p.HTTP, Methods: p.HTTP.Methods.map((m) => m.toUpperCase()) } } : p));
    }
    return out;
  });
  // Stable: equal precedence keeps the order the user wrote.
  sources.sort((a, b) => b.Precedence - a.Precedence);
  return { ...entry, Kind: SERVICE_INTENTIONS, Sources: sources };
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE']);

function checkWildcard(name: string, where: string): void {
  if (name !== WILDCARD && name.includes(WILDCARD)) throw bad(`${where}: wildcard character '*' cannot be used with partial values`);
}

function checkRegex(re: string | undefined, where: string): void {
  if (!re) return;
  try {
    new RegExp(re);
  } catch (err) {
    throw bad(`${where} is not a valid regular expression: ${(err as Error).message}`);
  }
}

export function validatePermissions(perms: IntentionPermission[], prefix: string): void {
  perms.forEach((perm, j) => {
    const p = `${prefix}.Permissions[${j}]`;
    if (perm.Action !== 'allow' && perm.Action !== 'deny') throw bad(`${p}.Action must be set to 'allow' or 'deny'`);
    const h = perm.HTTP;
    if (!h) throw bad(`${p}.HTTP is required`);
    let parts = 0;
    if (h.PathExact) {
      parts++;
      if (!h.PathExact.startsWith('/')) throw bad(`${p}.HTTP.PathExact doesn't start with '/': ${JSON.stringify(h.PathExact)}`);
    }
    if (h.PathPrefix) {
      parts++;
      if (!h.PathPrefix.startsWith('/')) throw bad(`${p}.HTTP.PathPrefix doesn't start with '/': ${JSON.stringify(h.PathPrefix)}`);
    }
    if (h.PathRegex) parts++;
    if (parts > 1) throw bad(`${p}.HTTP should only contain at most one of PathExact, PathPrefix, or PathRegex`);
    checkRegex(h.PathRegex, `${p}.HTTP.PathRegex`);
    (h.Header ?? []).forEach((hdr, k) => {
      if (!hdr.Name) throw bad(`${p}.HTTP.Header[${k}] missing required Name field`);
      const set = [hdr.Present, hdr.Exact, hdr.Regex, hdr.Prefix, hdr.Suffix].filter((v) => v !== undefined && v !== '' && v !== false).length;
      if (set !== 1) throw bad(`${p}.HTTP.Header[${k}] should only contain one of Present, Exact, Prefix, Suffix, or Regex`);
      checkRegex(hdr.Regex, `${p}.HTTP.Header[${k}].Regex`);
      parts++;
    });
    if (h.Methods?.length) {
      const seen = new Set<string>();
      for (const m of h.Methods) {
        if (!METHODS.has(m)) throw bad(`${p}.HTTP.Methods contains an invalid method ${JSON.stringify(m)}`);
        if (seen.has(m)) throw bad(`${p}.HTTP.Methods contains ${JSON.stringify(m)} more than once`);
        seen.add(m);
      }
      parts++;
    }
    if (parts === 0) throw bad(`${p}.HTTP should not be empty`);
  });
}

function validateLegacyFields(src: SourceIntention, i: number): void {
  if (src.LegacyID) {
    const meta = src.LegacyMeta ?? {};
    if (Object.keys(meta).length > META_MAX_PAIRS) throw bad(`Sources[${i}].Meta exceeds maximum element count ${META_MAX_PAIRS}`);
    for (const [k, v] of Object.entries(meta)) {
      if (k.length > META_KEY_MAX) throw bad(`Sources[${i}].Meta key ${JSON.stringify(k)} exceeds maximum length ${META_KEY_MAX}`);
      if (v.length > META_VALUE_MAX) throw bad(`Sources[${i}].Meta value for key ${JSON.stringify(k)} exceeds maximum length ${META_VALUE_MAX}`);
    }
    if (!src.LegacyCreateTime) throw bad(`Sources[${i}].LegacyCreateTime must be set`);
    if (!src.LegacyUpdateTime) throw bad(`Sources[${i}].LegacyUpdateTime must be set`);
    return;
  }
  if (src.LegacyMeta && Object.keys(src.LegacyMeta).length) throw bad(`Sources[${i}].LegacyMeta must be omitted`);
  if (src.LegacyCreateTime) throw bad(`Sources[${i}].LegacyCreateTime must be omitted`);
  if (src.LegacyUpdateTime) throw bad(`Sources[${i}].LegacyUpdateTime must be omitted`);
}

/** Consul's ServiceIntentionsConfigEntry.Validate, with the checks that concern namespaces, peers and partitions left out. */
export function validateIntentions(entry: ServiceIntentionsInput): void {
  checkWildcard(entry.Name, 'Name');
  if (!entry.Sources.length) throw bad('At least one source is required');
  const destIsWild = entry.Name === WILDCARD;
  const seen = new Set<string>();
  entry.Sources.forEach((src, i) => {
    if (!src.Name) throw bad(`Sources[${i}].Name is required`);
    checkWildcard(src.Name, `Sources[${i}].Name`);
    if ((src.Description ?? '').length > META_VALUE_MAX) throw bad(`Sources[${i}].Description exceeds maximum length ${META_VALUE_MAX}`);
    validateLegacyFields(src, i);
    const perms = src.Permissions ?? [];
    if (!perms.length && src.Action !== 'allow' && src.Action !== 'deny') throw bad(`Sources[${i}].Action must be set to 'allow' or 'deny'`);
    if (perms.length && src.Action) throw bad(`Sources[${i}].Action must be omitted if Permissions are specified`);
    if (destIsWild && perms.length) throw bad(`Sources[${i}].Permissions cannot be specified on intentions with wildcarded destinations`);
    if (src.Type !== 'consul') throw bad(`Sources[${i}].Type must be set to 'consul'`);
    validatePermissions(perms, `Sources[${i}]`);
    if (seen.has(src.Name)) throw bad(`Sources[${i}] defines ${JSON.stringify(src.Name)} more than once`);
    seen.add(src.Name);
  });
}

defineConfigKind({
  kind: SERVICE_INTENTIONS,
  schema: objectOf({ Sources: { list: source } }),
  normalize: (e) => normalizeIntentions(e, false),
  validate: (e) => validateIntentions(e as ServiceIntentionsInput),
});

function hasPermissions(entry: ConfigEntryInput | undefined): boolean {
  return ((entry?.Sources as SourceIntention[] | undefined) ?? []).some((s) => (s.Permissions?.length ?? 0) > 0);
}

function checkL7(view: ConfigView, destination: string): void {
  if (destination === WILDCARD || !hasPermissions(view.get(SERVICE_INTENTIONS, destination))) return;
  const protocol = serviceProtocol(view, destination);
  if (!isHttpLike(protocol)) {
    throw bad(`service ${JSON.stringify(destination)} has protocol ${JSON.stringify(protocol)}, which is incompatible with L7 intentions permissions`);
  }
}

// L7 permissions need an HTTP-speaking destination, whichever of the three entries changes.
defineConfigGraphCheck((view, changed) => {
  if (changed.kind === SERVICE_INTENTIONS || changed.kind === SERVICE_DEFAULTS) checkL7(view, changed.name);
  else if (changed.kind === PROXY_DEFAULTS) for (const e of view.list(SERVICE_INTENTIONS)) checkL7(view, e.Name);
});
