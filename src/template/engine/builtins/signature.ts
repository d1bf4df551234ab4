/**
 * Go checks a function's argument count (and declared string parameters)
 * before calling it and words the failure itself. JS functions carry no
 * reliable signature, so functions may declare one here.
 */
import type { TemplateFunc } from '../types.js';

export interface FuncSignature {
  /** Fixed arguments (all of them, unless variadic). */
  args: number;
  /** More arguments may follow the fixed ones. */
  variadic?: boolean;
  /** Positions of parameters Go would type as `string` (checked: "wrong type for value; expected string; got int"). */
  stringArgs?: readonly number[];
}

const signatures = new WeakMap<TemplateFunc, FuncSignature>();

/** Declares a template function's Go signature; returns the function for inline use. */
export function withSignature<F extends TemplateFunc>(fn: F, signature: FuncSignature): F {
  signatures.set(fn, signature);
  return fn;
}

export function signatureOf(fn: TemplateFunc): FuncSignature | undefined {
  return signatures.get(fn);
}
