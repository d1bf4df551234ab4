import { WeftError } from '../lib/errors.js';

/** Consul matches JSON fields case-insensitively and accepts snake_case aliases: `tagged_addresses` is `TaggedAddresses`. */
export const fieldKey = (name: string): string => name.toLowerCase().replace(/_/g, '');

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/**
 * Typed, case-insensitive reads of one object of a registration body or definition file.
 * Values keep Consul's weak typing for config files (`"9001"` is a port), and every type
 * error names the field path, as a 400 reason: `Request decode failed: Port: ...`.
 */
export class Fields {
  private readonly byKey = new Map<string, unknown>();

  constructor(
    raw: unknown,
    readonly path: string,
  ) {
    if (raw === undefined || raw === null) return;
    if (!isObject(raw)) throw decodeError(path || 'body', `expected an object, got ${describe(raw)}`);
    for (const [k, v] of Object.entries(raw)) if (v !== undefined && v !== null) this.byKey.set(fieldKey(k), v);
  }

  has(name: string): boolean {
    return this.byKey.has(fieldKey(name));
  }

  raw(...names: string[]): unknown {
    for (const n of names) {
      const v = this.byKey.get(fieldKey(n));
      if (v !== undefined) return v;
    }
    return undefined;
  }

  private at(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }

  string(name: string, ...aliases: string[]): string | undefined {
    const v = this.raw(name, ...aliases);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw decodeError(this.at(name), `expected a string, got ${describe(v)}`);
  }

  bool(name: string): boolean | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw decodeError(this.at(name), `expected true or false, got ${describe(v)}`);
  }

  int(name: string): number | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
    if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
    throw decodeError(this.at(name), `expected an integer, got ${describe(v)}`);
  }

  stringList(name: string): string[] | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) {
      throw decodeError(this.at(name), `expected a list of strings, got ${describe(v)}`);
    }
    return list as string[];
  }

  /** A map whose keys are the user's own (Meta): kept exactly as written. */
  stringMap(name: string): Record<string, string> | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!isObject(v)) throw decodeError(this.at(name), `expected an object, got ${describe(v)}`);
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) {
      if (typeof val === 'string') out[k] = val;
      else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
      else throw decodeError(`${this.at(name)}.${k}`, `expected a string, got ${describe(val)}`);
    }
    return out;
  }

  /** An opaque object (proxy Config): kept as written. */
  opaque(name: string): Record<string, unknown> | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!isObject(v)) throw decodeError(this.at(name), `expected an object, got ${describe(v)}`);
    return v;
  }

  object(name: string, ...aliases: string[]): Fields | undefined {
    const v = this.raw(name, ...aliases);
    if (v === undefined) return undefined;
    // HCL blocks arrive as a one-element list when the parser could not tell.
    const one = Array.isArray(v) && v.length === 1 ? v[0] : v;
    return new Fields(one, this.at(name));
  }

  /** A map of named objects (TaggedAddresses): keys kept, values read as Fields. */
  objectMap(name: string): Map<string, Fields> | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!isObject(v)) throw decodeError(this.at(name), `expected an object, got ${describe(v)}`);
    return new Map(Object.entries(v).map(([k, val]) => [k, new Fields(val, `${this.at(name)}.${k}`)]));
  }

  objectList(name: string): Fields[] | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    const list = isObject(v) ? [v] : v;
    if (!Array.isArray(list)) throw decodeError(this.at(name), `expected a list of objects, got ${describe(v)}`);
    return list.map((item, i) => new Fields(item, `${this.at(name)}[${i}]`));
  }

  /** Raw objects of a list (check definitions, handed to the check parser as written). */
  rawObjects(name: string): Record<string, unknown>[] | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    const list = isObject(v) ? [v] : v;
    if (!Array.isArray(list) || list.some((x) => x !== null && !isObject(x))) {
      throw decodeError(this.at(name), `expected a list of objects, got ${describe(v)}`);
    }
    return (list as (Record<string, unknown> | null)[]).filter((x): x is Record<string, unknown> => x !== null);
  }
}

export function decodeError(path: string, reason: string): WeftError {
  return new WeftError('BAD_REQUEST', `Request decode failed: ${path}: ${reason}`);
}
