/**
 * Go's predefined template functions. `and`, `or` and `call` are also
 * special-cased by the executor (short-circuit evaluation, and naming the
 * callee in errors); called directly they behave as their Go definitions.
 */
import { sprint, sprintf, sprintln } from '../fmt/index.js';
import type { TemplateFunc } from '../types.js';
import { isNil, truth, typeName } from '../values.js';
import { index, len, slice } from './collections.js';
import { eq, ge, gt, le, lt, ne } from './compare.js';
import { html, js, urlquery } from './escape.js';
import { signatureOf, withSignature } from './signature.js';

/** Go's `call`: the callee's printed name appears in its errors. */
export function callFunction(calleeName: string, fn: unknown, args: unknown[]): unknown {
  if (isNil(fn)) throw new Error('call of nil');
  if (typeof fn !== 'function') throw new Error(`non-function ${calleeName} of type ${typeName(fn)}`);
  const sig = signatureOf(fn as TemplateFunc);
  if (sig && (sig.variadic ? args.length < sig.args : args.length !== sig.args)) {
    const want = sig.variadic ? `at least ${sig.args}` : `${sig.args}`;
    throw new Error(`wrong number of args for ${calleeName}: got ${args.length} want ${want}`);
  }
  return (fn as TemplateFunc)(...args);
}

function and(...args: unknown[]): unknown {
  for (const a of args) if (!truth(a)) return a;
  return args[args.length - 1];
}

function or(...args: unknown[]): unknown {
  for (const a of args) if (truth(a)) return a;
  return args[args.length - 1];
}

const sig = withSignature;

export const builtinFuncs: Readonly<Record<string, TemplateFunc>> = Object.freeze({
  and: sig(and, { args: 1, variadic: true }),
  or: sig(or, { args: 1, variadic: true }),
  not: sig((a: unknown) => !truth(a), { args: 1 }),
  len: sig(len as TemplateFunc, { args: 1 }),
  index: sig(index, { args: 1, variadic: true }),
  slice: sig(slice, { args: 1, variadic: true }),
  print: sig((...args: unknown[]) => sprint(args), { args: 0, variadic: true }),
  printf: sig((format: unknown, ...args: unknown[]) => sprintf(format as string, args), {
    args: 1,
    variadic: true,
    stringArgs: [0],
  }),
  println: sig((...args: unknown[]) => sprintln(args), { args: 0, variadic: true }),
  eq: sig(eq as TemplateFunc, { args: 1, variadic: true }),
  ne: sig(ne as TemplateFunc, { args: 2 }),
  lt: sig(lt as TemplateFunc, { args: 2 }),
  le: sig(le as TemplateFunc, { args: 2 }),
  gt: sig(gt as TemplateFunc, { args: 2 }),
  ge: sig(ge as TemplateFunc, { args: 2 }),
  html: sig(html, { args: 0, variadic: true }),
  js: sig(js, { args: 0, variadic: true }),
  urlquery: sig(urlquery, { args: 0, variadic: true }),
  call: sig((fn: unknown, ...args: unknown[]) => callFunction('function', fn, args), { args: 1, variadic: true }),
});
