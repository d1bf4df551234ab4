import type { MatchExpr } from './ast.js';
import type { ValueTest } from './selector.js';
import { FilterSyntaxError } from './syntax-error.js';

/**
 * The value written in the filter, coerced once to every type a field might
 * have at run time; go-bexpr coerces to the field's Go type, which we only
 * learn per object.
 */
interface Operand {
  readonly text: string;
  readonly number: number | undefined;
  readonly boolean: boolean | undefined;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const PREFIXED_INT = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)$/;

/** Accepts what Go's ParseInt(s, 0, 64) and ParseFloat accept, minus rarities (underscores, inf). */
export function coerceNumber(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  const m = PREFIXED_INT.exec(text);
  if (m === null) return undefined;
  const n = Number(m[2]);
  return m[1] === '-' ? -n : n;
}

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** Go's strconv.ParseBool spellings. */
export function coerceBoolean(text: string): boolean | undefined {
  return TRUE.has(text) ? true : FALSE.has(text) ? false : undefined;
}

function operand(text: string): Operand {
  return { text, number: coerceNumber(text), boolean: coerceBoolean(text) };
}

/** Equality against a scalar; objects, arrays and missing values are never equal. */
function scalarEquals(value: unknown, op: Operand): boolean {
  switch (typeof value) {
    case 'string':
      return value === op.text;
    case 'number':
      return value === op.number;
    case 'boolean':
      return value === op.boolean;
    default:
      return false;
  }
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  if (typeof value !== 'object') return false;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

/**
 * `in`/`contains`: substring for strings, element equality for arrays, key
 * presence for maps (exact key: map keys are data, not field names).
 */
function contains(value: unknown, op: Operand): boolean {
  if (typeof value === 'string') return value.includes(op.text);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (scalarEquals(value[i], op)) return true;
    return false;
  }
  if (value !== null && typeof value === 'object') return Object.hasOwn(value, op.text);
  return false;
}

/**
 * Go's RE2 spells flags as a leading `(?i)`, which Node 20's RegExp rejects;
 * translating the common prefix keeps Consul-era filters working.
 */
const GO_FLAGS = /^\(\?([ims]+)\)/;

export function compileRegExp(pattern: string, at: number): RegExp {
  const flags = GO_FLAGS.exec(pattern);
  const body = flags === null ? pattern : pattern.slice(flags[0].length);
  const jsFlags = flags === null ? '' : [...new Set(flags[1])].join('');
  try {
    return new RegExp(body, jsFlags);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new FilterSyntaxError(at, `invalid regular expression ${JSON.stringify(pattern)}: ${reason}`);
  }
}

/** The positive form of a match; the caller negates it after fanning out over arrays. */
export function compileTest(expr: MatchExpr): ValueTest {
  const value = expr.value;
  switch (expr.test) {
    case 'empty':
      return isEmpty;
    case 'matches': {
      const re = compileRegExp(value?.raw ?? '', value?.start ?? expr.selector.start);
      return (v) => typeof v === 'string' && re.test(v);
    }
    case 'equal': {
      const op = operand(value?.raw ?? '');
      return (v) => scalarEquals(v, op);
    }
    case 'in': {
      const op = operand(value?.raw ?? '');
      return (v) => contains(v, op);
    }
  }
}
