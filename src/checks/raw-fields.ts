import { WeftError } from '../lib/errors.js';
import { parseDuration } from '../lib/duration.js';

/** "TLSSkipVerify", "tls_skip_verify" and "tlsSkipVerify" all name the same field. */
export const normalizeKey = (key: string): string => key.replace(/[_-]/g, '').toLowerCase();

const decodeFailed = (why: string): WeftError => new WeftError('BAD_REQUEST', `Request decode failed: ${why}`);

/**
 * Typed, spelling-insensitive access to one raw check definition (JSON body or config file).
 * The first spelling present wins; empty strings count as absent, as Go's zero values do.
 */
export class RawFields {
  private readonly byKey = new Map<string, { key: string; value: unknown }>();

  constructor(raw: Record<string, unknown>) {
    for (const [key, value] of Object.entries(raw)) {
      const k = normalizeKey(key);
      if (value !== undefined && value !== null && !this.byKey.has(k)) this.byKey.set(k, { key, value });
    }
  }

  has(...keys: string[]): boolean {
    return keys.some((k) => this.byKey.has(k));
  }

  private entry(keys: string[]): { key: string; value: unknown } | undefined {
    for (const k of keys) {
      const e = this.byKey.get(k);
      if (e) return e;
    }
    return undefined;
  }

  str(...keys: string[]): string | undefined {
    const e = this.entry(keys);
    if (!e) return undefined;
    if (typeof e.value !== 'string') throw decodeFailed(`${e.key} must be a string`);
    return e.value === '' ? undefined : e.value;
  }

  bool(...keys: string[]): boolean | undefined {
    const e = this.entry(keys);
    if (!e) return undefined;
    // HCL and hand-written config files sometimes quote booleans; Consul's config decoder accepts them.
    if (e.value === 'true' || e.value === 'false') return e.value === 'true';
    if (typeof e.value !== 'boolean') throw decodeFailed(`${e.key} must be a boolean`);
    return e.value;
  }

  int(...keys: string[]): number | undefined {
    const e = this.entry(keys);
    if (!e) return undefined;
    const n = typeof e.value === 'string' && /^-?\d+$/.test(e.value) ? Number(e.value) : e.value;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw decodeFailed(`${e.key} must be an integer`);
    return n;
  }

  /** A Go duration: "10s", or a number of nanoseconds as Go's JSON encodes time.Duration. */
  duration(...keys: string[]): number | undefined {
    const e = this.entry(keys);
    if (!e) return undefined;
    if (typeof e.value !== 'string' && typeof e.value !== 'number') throw decodeFailed(`${e.key} must be a duration`);
    if (e.value === '') return undefined;
    try {
      return parseDuration(e.value);
    } catch (err) {
      throw decodeFailed((err as Error).message);
    }
  }

  strList(...keys: string[]): string[] | undefined {
    const e = this.entry(keys);
    if (!e) return undefined;
    if (!Array.isArray(e.value) || e.value.some((v) => typeof v !== 'string')) throw decodeFailed(`${e.key} must be a list of strings`);
    return e.value.length === 0 ? undefined : (e.value as string[]);
  }

  /** `{"X-Name": ["v1", "v2"]}`; HCL's block form arrives as a list of such objects and is merged. */
  header(...keys: string[]): Record<string, string[]> | undefined {
    const e = this.entry(keys);
    if (!e) return undefined;
    const parts = Array.isArray(e.value) ? e.value : [e.value];
    const out: Record<string, string[]> = {};
    for (const part of parts) {
      if (typeof part !== 'object' || part === null || Array.isArray(part)) throw decodeFailed(`${e.key} must map header names to lists of strings`);
      for (const [name, values] of Object.entries(part as Record<string, unknown>)) {
        if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
          throw decodeFailed(`${e.key}["${name}"] must be a list of strings`);
        }
        out[name] = [...(out[name] ?? []), ...(values as string[])];
      }
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
}

/** True when every field is a zero value; Consul drops such `check {}` blocks from service definitions. */
export function isEmptyCheckDefinition(raw: Record<string, unknown>): boolean {
  return Object.values(raw).every(
    (v) =>
      v === undefined ||
      v === null ||
      v === '' ||
      v === 0 ||
      v === false ||
      (Array.isArray(v) && v.length === 0) ||
      (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0),
  );
}
