/**
 * Leaf value schemas shared by the file schema: ports, durations, log levels, names and
 * metadata. Each carries a message that names the bad value, so a problem reads
 * `agent.hcl: ports.http: must be -1 (disabled) or between 1 and 65535, got 70000`.
 */
import { z } from 'zod';
import { parseDuration } from '../lib/duration.js';
import { resolveAddresses } from './address.js';

type Check<T> = (value: T) => string | null;

/** Wraps a check returning an error message (or null) as a zod refinement. */
function checked<S extends z.ZodType>(schema: S, check: Check<z.output<S>>): S {
  return schema.superRefine((value, ctx) => {
    const message = check(value);
    if (message !== null) ctx.addIssue({ code: 'custom', message, input: value });
  }) as S;
}

export const port = checked(z.number().int(), (p) =>
  p === -1 || (p >= 1 && p <= 65535) ? null : `must be -1 (disabled) or between 1 and 65535, got ${p}`,
);

export const uint = z.number().int().min(0);
export const positiveInt = z.number().int().min(1);
export const uint32 = z.number().int().min(0).max(0xffff_ffff);

/** A Go duration string ("30s", "1h15m"); Consul's files take durations as strings only. */
export const duration = checked(z.string(), (s) => {
  try {
    return parseDuration(s) < 0 ? `must not be negative, got "${s}"` : null;
  } catch (err) {
    return (err as Error).message;
  }
});

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Case-insensitive, as Consul's logger; `err` is the old spelling of `error`. */
export function normalizeLogLevel(value: string): LogLevel | null {
  const level = value.trim().toLowerCase();
  if (level === 'err') return 'error';
  return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : null;
}

export const logLevel = checked(z.string(), (s) =>
  normalizeLogLevel(s) ? null : `must be one of ${LOG_LEVELS.join(', ')}; got "${s}"`,
);

/** Datacenter names: Consul lower-cases them (with a warning) and allows [a-z0-9_-]. */
export const datacenterName = checked(z.string(), (s) =>
  /^[a-z0-9_-]+$/i.test(s) ? null : `may only contain letters, digits, "-" and "_"; got "${s}"`,
);

export const nodeId = checked(z.string(), (s) =>
  s === '' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)
    ? null
    : `must be a UUID, got "${s}"`,
);

const META_MAX_PAIRS = 64;
const META_KEY_MAX = 128;
const META_VALUE_MAX = 512;

/** node_meta: Consul's metadata rules (key charset and length, value length, reserved prefix). */
export const nodeMeta = checked(z.record(z.string(), z.string()), (meta) => {
  const entries = Object.entries(meta);
  if (entries.length > META_MAX_PAIRS) return `at most ${META_MAX_PAIRS} pairs are allowed, got ${entries.length}`;
  for (const [key, value] of entries) {
    if (!/^[a-zA-Z0-9_-]+$/.test(key)) return `key "${key}" may only contain letters, digits, "-" and "_"`;
    if (key.length > META_KEY_MAX) return `key "${key}" is longer than ${META_KEY_MAX} characters`;
    if (key.startsWith('consul-')) return `key "${key}": the "consul-" prefix is reserved`;
    if (value.length > META_VALUE_MAX) return `value of "${key}" is longer than ${META_VALUE_MAX} characters`;
  }
  return null;
});

/** One IP address (or a supported go-sockaddr template resolving to exactly one). */
export const singleAddress = checked(z.string(), (s) => {
  const r = resolveAddresses(s);
  if (!r.ok) return r.message;
  return r.addresses.length === 1 ? null : `must be a single address, got ${r.addresses.length}`;
});

/** A space-separated list of IP addresses, as `client_addr` allows. */
export const addressList = checked(z.string(), (s) => {
  const r = resolveAddresses(s);
  if (!r.ok) return r.message;
  return r.addresses.length > 0 ? null : 'must name at least one address';
});

/** A DNS recursor: an IP, optionally with a port (`1.1.1.1:53`, `[::1]:53`). */
export const recursor = checked(z.string(), (s) => {
  const r = resolveAddresses(s.replace(/^\[(.*)\]:\d+$/, '$1').replace(/^([^:]+):\d+$/, '$1'));
  return r.ok && r.addresses.length === 1 ? null : `must be an IP address with an optional port, got "${s}"`;
});

/** A service or check definition: kept as written (snake_case or CamelCase keys). */
export const definition = z.record(z.string(), z.unknown());

export const serviceDefinition = checked(definition, (s) => {
  const key = Object.keys(s).find((k) => k.toLowerCase() === 'name');
  if (key === undefined) return 'missing "name"';
  return typeof s[key] === 'string' && s[key] !== '' ? null : '"name" must be a non-empty string';
});
