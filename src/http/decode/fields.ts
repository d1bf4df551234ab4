import { parseDuration } from '../../lib/duration.js';
import { WeftError } from '../../lib/errors.js';

/**
 * Reads a decoded JSON request body the way Go's encoding/json fills Consul's structs:
 * keys match field names case-insensitively (an exact match wins), `null` leaves a field
 * at its zero value, unknown keys are ignored, and a value of the wrong JSON type is a
 * 400 with Go's wording ("json: cannot unmarshal string into Go struct field
 * RegisterRequest.Service.Port of type int").
 *
 * A field may have several names (`['EnableTagOverride', 'enable_tag_override']`) for the
 * endpoints that also accept snake_case; the first is the one errors name.
 */
export type FieldNames = string | readonly string[];

export function decodeFailed(message: string): WeftError {
  return new WeftError('BAD_REQUEST', `Request decode failed: ${message}`);
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return `number`;
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

export class FieldReader {
  private lowerKeys: Map<string, string> | null = null;

  /** `path` names this object in errors, e.g. `RegisterRequest.Service`. */
  constructor(
    readonly value: Readonly<Record<string, unknown>>,
    readonly path: string,
  ) {}

  /** The body (or a nested value) as an object; `null`/absent is an empty object, as Go leaves the struct zero. */
  static of(value: unknown, path: string): FieldReader {
    if (value === undefined || value === null) return new FieldReader({}, path);
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw decodeFailed(`json: cannot unmarshal ${jsonType(value)} into Go value of type ${path.split('.').pop()}`);
    }
    return new FieldReader(value as Record<string, unknown>, path);
  }

  private key(names: FieldNames): string | undefined {
    const list = typeof names === 'string' ? [names] : names;
    for (const n of list) if (Object.hasOwn(this.value, n)) return n;
    if (!this.lowerKeys) {
      this.lowerKeys = new Map();
      for (const k of Object.keys(this.value)) if (!this.lowerKeys.has(k.toLowerCase())) this.lowerKeys.set(k.toLowerCase(), k);
    }
    for (const n of list) {
      const k = this.lowerKeys.get(n.toLowerCase());
      if (k !== undefined) return k;
    }
    return undefined;
  }

  private fieldPath(names: FieldNames): string {
    return `${this.path}.${typeof names === 'string' ? names : names[0]}`;
  }

  private mismatch(names: FieldNames, value: unknown, goType: string): WeftError {
    const what = typeof value === 'number' ? `number ${value}` : jsonType(value);
    return decodeFailed(`json: cannot unmarshal ${what} into Go struct field ${this.fieldPath(names)} of type ${goType}`);
  }

  /** The raw value, `undefined` when absent or null. */
  raw(names: FieldNames): unknown {
    const k = this.key(names);
    const v = k === undefined ? undefined : this.value[k];
    return v === null ? undefined : v;
  }

  has(names: FieldNames): boolean {
    return this.raw(names) !== undefined;
  }

  string(names: FieldNames, fallback = ''): string {
    const v = this.raw(names);
    if (v === undefined) return fallback;
    if (typeof v !== 'string') throw this.mismatch(names, v, 'string');
    return v;
  }

  bool(names: FieldNames, fallback = false): boolean {
    const v = this.raw(names);
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') throw this.mismatch(names, v, 'bool');
    return v;
  }

  /** A whole number within [min, max] (Go's int by default, a port with `{ min: 0, max: 65535 }`). */
  int(names: FieldNames, opts: { min?: number; max?: number; goType?: string } = {}): number | undefined {
    const v = this.raw(names);
    if (v === undefined) return undefined;
    const goType = opts.goType ?? 'int';
    if (typeof v !== 'number' || !Number.isInteger(v)) throw this.mismatch(names, v, goType);
    if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
      throw decodeFailed(`${this.fieldPath(names)}: ${v} is out of range (${opts.min ?? '-∞'}..${opts.max ?? '∞'})`);
    }
    return v;
  }

  stringList(names: FieldNames): string[] | undefined {
    const v = this.raw(names);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw this.mismatch(names, v, '[]string');
    for (const item of v) if (typeof item !== 'string') throw this.mismatch(names, item, 'string');
    return v as string[];
  }

  stringMap(names: FieldNames): Record<string, string> | undefined {
    const v = this.raw(names);
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw this.mismatch(names, v, 'map[string]string');
    for (const item of Object.values(v as object)) if (typeof item !== 'string') throw this.mismatch(names, item, 'string');
    return { ...(v as Record<string, string>) };
  }

  /** A nested object (a Go struct or map), `undefined` when absent or null. */
  object(names: FieldNames): FieldReader | undefined {
    const v = this.raw(names);
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw this.mismatch(names, v, 'struct');
    return new FieldReader(v as Record<string, unknown>, this.fieldPath(names));
  }

  objectList(names: FieldNames): FieldReader[] | undefined {
    const v = this.raw(names);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw this.mismatch(names, v, '[]struct');
    return v.map((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw this.mismatch(names, item, 'struct');
      return new FieldReader(item as Record<string, unknown>, `${this.fieldPath(names)}[${i}]`);
    });
  }

  /**
   * A duration given as a Go duration string ("10s") or, as Consul also accepts, a number
   * of nanoseconds. Returns milliseconds; a malformed string is a 400 with Go's message.
   */
  duration(names: FieldNames): number | undefined {
    const v = this.raw(names);
    if (v === undefined) return undefined;
    if (typeof v === 'number') return v / 1e6;
    if (typeof v !== 'string') throw this.mismatch(names, v, 'time.Duration');
    if (v === '') return 0;
    try {
      return parseDuration(v);
    } catch (err) {
      throw decodeFailed((err as Error).message);
    }
  }
}
