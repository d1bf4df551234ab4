/**
 * How the engine sees JavaScript values in Go's terms. The mapping:
 *   undefined            → an invalid value (missing map key, no data): prints <no value>
 *   null                 → a nil pointer/interface: prints <no value>, but `.x` on it is an error
 *   boolean, string      → bool, string
 *   number, bigint       → int when integral, float64 otherwise
 *   Array, Set           → slice ([]interface {})
 *   plain object, Map    → map (map[string]interface {}): `.key` reads a key, missing keys are <no value>
 *   other objects        → struct: `.Field` must exist; function-valued fields are methods
 *   function             → func
 */

export type Kind = 'invalid' | 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'struct' | 'func';

export function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'undefined': return 'invalid';
    case 'boolean': return 'bool';
    case 'string': return 'string';
    case 'number': return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint': return 'int';
    case 'function': return 'func';
    case 'symbol': return 'struct';
  }
  if (v === null) return 'nil';
  if (Array.isArray(v) || v instanceof Set) return 'slice';
  if (v instanceof Map || isPlainObject(v as object)) return 'map';
  return 'struct';
}

export const isNil = (v: unknown): v is null | undefined => v === undefined || v === null;

/** Go's type name for a value, as error messages and %T print it. */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil': return '<nil>';
    case 'bool': return 'bool';
    case 'int': return 'int';
    case 'float': return 'float64';
    case 'string': return 'string';
    case 'slice': return '[]interface {}';
    case 'map': return 'map[string]interface {}';
    case 'func': return 'func';
    case 'struct': {
      const name = (v as object).constructor?.name;
      return name ? `*${name}` : 'struct';
    }
  }
}

/** Go's isTrue: the zero value of a type, nil and empty containers are false. */
export function truth(v: unknown): boolean {
  switch (typeof v) {
    case 'undefined': return false;
    case 'boolean': return v;
    case 'string': return v.length > 0;
    case 'number': return v !== 0;
    case 'bigint': return v !== 0n;
    case 'function': return true;
  }
  if (v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (isPlainObject(v as object)) {
    for (const _ in v as object) return true;
    return false;
  }
  return true;
}

/** Go orders strings by bytes; UTF-16 order differs only around surrogates, so compare code points there. */
export function compareStrings(a: string, b: string): number {
  if (!/[\ud800-\udfff]/.test(a) && !/[\ud800-\udfff]/.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i].codePointAt(0)! - cb[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

function compareKeys(a: unknown, b: unknown): number {
  const rank = (k: unknown): number => (typeof k === 'number' || typeof k === 'bigint' ? 0 : typeof k === 'string' ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (ra === 1) return compareStrings(a as string, b as string);
  return 0;
}

/** A map's entries in key order, as Go's range and fmt visit them. */
export function sortedEntries(m: object): [unknown, unknown][] {
  if (m instanceof Map) return [...m.entries()].sort((x, y) => compareKeys(x[0], y[0]));
  return Object.keys(m)
    .sort(compareStrings)
    .map((k) => [k, (m as Record<string, unknown>)[k]]);
}

export function mapSize(m: object): number {
  return m instanceof Map ? m.size : Object.keys(m).length;
}

/** Length in Go's terms: strings count UTF-8 bytes. */
export function byteLength(s: string): number {
  return /^[\x00-\x7f]*$/.test(s) ? s.length : Buffer.byteLength(s, 'utf8');
}

function subclassMember(v: object, name: string, base: object): unknown {
  for (let p = Object.getPrototypeOf(v); p && p !== base; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, name) && name !== 'constructor') return (v as Record<string, unknown>)[name];
  }
  return undefined;
}

export type FieldLookup =
  | { found: true; value: unknown; isMap: boolean }
  | { found: false; isMap: boolean; fieldless?: boolean };

/** `.name` on a map reads a key; on a struct-like object, a property (not Object.prototype's). */
export function lookupField(receiver: unknown, name: string): FieldLookup {
  if (typeof receiver !== 'object' || receiver === null) return { found: false, isMap: false, fieldless: true };
  if (receiver instanceof Map) {
    return receiver.has(name) ? { found: true, value: receiver.get(name), isMap: true } : { found: false, isMap: true };
  }
  if (Array.isArray(receiver) || receiver instanceof Set) {
    // A subclass's own methods are the methods of a Go slice type (consul-template's ServiceTags.Contains).
    const value = subclassMember(receiver, name, Array.isArray(receiver) ? Array.prototype : Set.prototype);
    return value === undefined ? { found: false, isMap: false, fieldless: true } : { found: true, value, isMap: false };
  }
  if (isPlainObject(receiver)) {
    return Object.hasOwn(receiver, name)
      ? { found: true, value: (receiver as Record<string, unknown>)[name], isMap: true }
      : { found: false, isMap: true };
  }
  const value = name in receiver ? (receiver as Record<string, unknown>)[name] : undefined;
  const inherited = name === 'constructor' || (name in Object.prototype && value === (Object.prototype as Record<string, unknown>)[name]);
  if (name in receiver && !inherited) {
    return { found: true, value, isMap: false };
  }
  return { found: false, isMap: false };
}
