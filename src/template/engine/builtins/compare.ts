/**
 * eq, ne, lt, le, gt, ge with Go's rules: basic kinds compare by value, eq
 * takes several right-hand operands (any may match), nil only equals nil,
 * and mixing kinds is "incompatible types for comparison". JS numbers and
 * bigints form one numeric kind (Go would separate int and float64).
 */
import { sprintf } from '../fmt/index.js';
import { compareStrings, isNil, kindOf, typeName } from '../values.js';

type Basic = 'nil' | 'bool' | 'number' | 'string' | 'other';

function basicKind(v: unknown): Basic {
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'number':
    case 'bigint': return 'number';
    case 'string': return 'string';
  }
  return isNil(v) ? 'nil' : 'other';
}

/** Go's == on values that are not basic: nil-ness, identity for struct-like objects, an error for slices/maps/funcs. */
function equalOther(a: unknown, b: unknown): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) === isNil(b);
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) {
    throw new Error(`non-comparable types ${sprintf('%s', [a])}: ${typeName(a)}, ${typeName(b)}: ${sprintf('%v', [b])}`);
  }
  if (ka === 'slice' || ka === 'map' || ka === 'func') {
    throw new Error(`non-comparable type ${sprintf('%s', [b])}: ${typeName(b)}`);
  }
  return a === b;
}

export function eq(arg1: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const arg of rest) {
    const k2 = basicKind(arg);
    let truth: boolean;
    if (k1 !== k2) {
      if (k1 !== 'nil' && k2 !== 'nil') throw new Error('incompatible types for comparison');
      truth = false;
    } else if (k1 === 'number') {
      // Loose equality compares a number with a bigint by value.
      truth = (arg1 as number) == (arg as number);
    } else if (k1 === 'nil' || k1 === 'other') {
      truth = equalOther(arg1, arg);
    } else {
      truth = arg1 === arg;
    }
    if (truth) return true;
  }
  return false;
}

export function ne(a: unknown, b: unknown): boolean {
  return !eq(a, b);
}

export function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'nil' || k1 === 'other' || k2 === 'nil' || k2 === 'other') throw new Error('invalid type for comparison');
  if (k1 !== k2) throw new Error('incompatible types for comparison');
  if (k1 === 'bool') throw new Error('invalid type for comparison');
  if (k1 === 'string') return compareStrings(a as string, b as string) < 0;
  return (a as number) < (b as number);
}

export function le(a: unknown, b: unknown): boolean {
  return lt(a, b) || eq(a, b);
}

export function gt(a: unknown, b: unknown): boolean {
  return !le(a, b);
}

export function ge(a: unknown, b: unknown): boolean {
  return !lt(a, b);
}
