/**
 * index, slice and len with Go's semantics and messages. Strings are bytes
 * in Go: len counts UTF-8 bytes and index yields a byte.
 */
import { byteLength, isNil, kindOf, typeName } from '../values.js';

const utf8 = new TextDecoder('utf-8');

/** Go's indexArg: an integer within [0, cap]. */
function indexArg(index: unknown, cap: number): number {
  let x: number;
  if (typeof index === 'bigint') x = Number(index);
  else if (typeof index === 'number' && Number.isInteger(index)) x = index;
  else if (isNil(index)) throw new Error('cannot index slice/array with nil');
  else throw new Error(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0 || x > cap) throw new Error(`index out of range: ${x}`);
  return x;
}

function indexOnce(item: unknown, index: unknown): unknown {
  if (isNil(item)) throw new Error('index of nil pointer');
  switch (kindOf(item)) {
    case 'string': {
      const bytes = Buffer.from(item as string, 'utf8');
      const x = indexArg(index, bytes.length);
      if (x === bytes.length) throw new Error('reflect: string index out of range');
      return bytes[x];
    }
    case 'slice': {
      const arr = item instanceof Set ? [...item] : (item as unknown[]);
      const x = indexArg(index, arr.length);
      if (x === arr.length) throw new Error('reflect: slice index out of range');
      return arr[x];
    }
    case 'map': {
      if (item instanceof Map) return item.get(index);
      if (isNil(index)) throw new Error('value is nil; should be of type string');
      if (typeof index !== 'string') throw new Error(`value has type ${typeName(index)}; should be string`);
      return Object.hasOwn(item as object, index) ? (item as Record<string, unknown>)[index] : undefined;
    }
  }
  throw new Error(`can't index item of type ${typeName(item)}`);
}

/** index x 1 2 3 is x[1][2][3]. */
export function index(item: unknown, ...indexes: unknown[]): unknown {
  if (isNil(item)) throw new Error('index of untyped nil');
  for (const i of indexes) item = indexOnce(item, i);
  return item;
}

/** slice x 1 2 is x[1:2]; slice x is x[:]; slice x 1 2 3 is x[1:2:3]. */
export function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (isNil(item)) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  const kind = kindOf(item);
  let len: number;
  let bytes: Buffer | undefined;
  if (kind === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    bytes = Buffer.from(item as string, 'utf8');
    len = bytes.length;
  } else if (kind === 'slice') {
    if (item instanceof Set) item = [...item];
    len = (item as unknown[]).length;
  } else {
    throw new Error(`can't slice item of type ${typeName(item)}`);
  }
  const idx = [0, len, len];
  indexes.forEach((x, i) => {
    idx[i] = indexArg(x, len);
  });
  if (idx[0] > idx[1]) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (bytes) return bytes.length === (item as string).length ? (item as string).slice(idx[0], idx[1]) : utf8.decode(bytes.subarray(idx[0], idx[1]));
  return (item as unknown[]).slice(idx[0], idx[1]);
}

export function len(item: unknown): number {
  if (isNil(item)) throw new Error('len of nil pointer');
  switch (kindOf(item)) {
    case 'string': return byteLength(item as string);
    case 'slice': return item instanceof Set ? item.size : (item as unknown[]).length;
    case 'map': return item instanceof Map ? item.size : Object.keys(item as object).length;
  }
  throw new Error(`len of type ${typeName(item)}`);
}
