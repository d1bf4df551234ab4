/**
 * Consul's `?filter=` language (hashicorp/go-bexpr), evaluated against plain
 * JSON-shaped objects. Compile once per request; `matches` is the hot path.
 */
import { toPredicate } from './evaluate.js';
import { parse } from './parser.js';
import { FilterSyntaxError, toFilterInvalid } from './syntax-error.js';

export interface CompiledFilter {
  readonly source: string;
  matches(value: unknown): boolean;
}

/** Throws WeftError FILTER_INVALID (HTTP 400) with Consul's message prefix and a line:col position. */
export function compileFilter(expression: string): CompiledFilter {
  let predicate: (value: unknown) => boolean;
  try {
    predicate = toPredicate(parse(expression));
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw toFilterInvalid(expression, err);
    throw err;
  }
  return Object.freeze({ source: expression, matches: predicate });
}

/** An absent or empty expression means "no filter", as in Consul; the same array comes back. */
export function applyFilter<T>(expression: string | undefined, items: T[]): T[] {
  if (expression === undefined || expression === '') return items;
  const filter = compileFilter(expression);
  return items.filter((item) => filter.matches(item));
}
