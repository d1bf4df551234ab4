/**
 * Header changes of nested splits, folded into one split when the compiler flattens a
 * splitter that points at another splitter: the result must act as if the request passed
 * the parent split first and then the child, and the response the other way round.
 */
import type { HttpHeaderModifiers, ServiceSplit } from '../state/index.js';

function isZero(m: HttpHeaderModifiers | undefined): boolean {
  return !m || (!Object.keys(m.Add ?? {}).length && !Object.keys(m.Set ?? {}).length && !(m.Remove ?? []).length);
}

function clone(m: HttpHeaderModifiers): HttpHeaderModifiers {
  return {
    ...(m.Add ? { Add: { ...m.Add } } : {}),
    ...(m.Set ? { Set: { ...m.Set } } : {}),
    ...(m.Remove ? { Remove: [...m.Remove] } : {}),
  };
}

/** `overrides` wins on a name both set or add (one value per name keeps the syntax simple); removals are unioned. */
export function mergeHeaderModifiers(base: HttpHeaderModifiers | undefined, overrides: HttpHeaderModifiers | undefined): HttpHeaderModifiers | undefined {
  if (isZero(base)) return isZero(overrides) ? undefined : clone(overrides!);
  const merged = clone(base!);
  if (isZero(overrides)) return merged;
  if (overrides!.Add && Object.keys(overrides!.Add).length) merged.Add = { ...merged.Add, ...overrides!.Add };
  if (overrides!.Set && Object.keys(overrides!.Set).length) merged.Set = { ...merged.Set, ...overrides!.Set };
  for (const name of overrides!.Remove ?? []) {
    merged.Remove ??= [];
    if (!merged.Remove.includes(name)) merged.Remove.push(name);
  }
  return merged;
}

/**
 * The child split with its parent's request handling merged in (the child overrides) and the
 * parent's response handling layered over the child's (the parent sees the response last).
 */
export function mergeParentSplit(child: ServiceSplit, parent: ServiceSplit): ServiceSplit {
  const { RequestHeaders: _req, ResponseHeaders: _resp, ...rest } = child;
  const req = mergeHeaderModifiers(parent.RequestHeaders, child.RequestHeaders);
  const resp = mergeHeaderModifiers(child.ResponseHeaders, parent.ResponseHeaders);
  return { ...rest, ...(req ? { RequestHeaders: req } : {}), ...(resp ? { ResponseHeaders: resp } : {}) };
}
