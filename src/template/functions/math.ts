/**
 * add, subtract, multiply, divide, modulo, minimum, maximum. Arguments are reversed for
 * pipes as in consul-template: `{{ 5 | subtract 2 }}` is 5 - 2, `{{ divide 2 10 }}` is 10 / 2.
 * Integers stay integers (division truncates; by zero it is an error), a float anywhere
 * makes the result a float.
 */
import { withSignature, type TemplateFunc } from '../engine/index.js';

type Num = { kind: 'int'; v: bigint } | { kind: 'float'; v: number };

function num(fn: string, x: unknown): Num {
  if (typeof x === 'bigint') return { kind: 'int', v: x };
  if (typeof x === 'number') return Number.isInteger(x) ? { kind: 'int', v: BigInt(x) } : { kind: 'float', v: x };
  const shown = typeof x === 'string' ? JSON.stringify(x) : String(x);
  const type = x === null || x === undefined ? '<nil>' : typeof x === 'boolean' ? 'bool' : typeof x === 'string' ? 'string' : typeof x;
  throw new Error(`${fn}: unknown type for ${shown} (${type})`);
}

/** Back to the engine's numbers: exact bigints only when a number cannot hold them. */
function out(n: bigint): number | bigint {
  return Number.isSafeInteger(Number(n)) ? Number(n) : n;
}

function arith(fn: string, ints: (a: bigint, b: bigint) => bigint, floats: (a: number, b: number) => number, floatsAllowed = true) {
  return withSignature((bRaw: unknown, aRaw: unknown) => {
    const a = num(fn, aRaw);
    const b = num(fn, bRaw);
    if (a.kind === 'int' && b.kind === 'int') return out(ints(a.v, b.v));
    if (!floatsAllowed) throw new Error(`${fn}: unknown type for ${a.kind === 'float' ? a.v : b.v} (float64)`);
    return floats(Number(a.v), Number(b.v));
  }, { args: 2 });
}

function divideInts(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  return a / b;
}

function pick(fn: string, wantLess: boolean) {
  return withSignature((bRaw: unknown, aRaw: unknown) => {
    const a = num(fn, aRaw);
    const b = num(fn, bRaw);
    const av = a.kind === 'int' ? Number(a.v) : a.v;
    const bv = b.kind === 'int' ? Number(b.v) : b.v;
    const chosen = (wantLess ? av < bv : av > bv) ? a : b;
    return chosen.kind === 'int' ? out(chosen.v) : chosen.v;
  }, { args: 2 });
}

export const mathFunctions: Record<string, TemplateFunc> = {
  add: arith('add', (a, b) => a + b, (a, b) => a + b),
  subtract: arith('subtract', (a, b) => a - b, (a, b) => a - b),
  multiply: arith('multiply', (a, b) => a * b, (a, b) => a * b),
  divide: arith('divide', divideInts, (a, b) => a / b),
  modulo: arith('modulo', (a, b) => {
    if (b === 0n) throw new Error('runtime error: integer divide by zero');
    return a % b;
  }, () => 0, false),
  minimum: pick('minimum', true),
  maximum: pick('maximum', false),
};
