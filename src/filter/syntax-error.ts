import { WeftError } from '../lib/errors.js';

/**
 * Internal failure carrying only an offset, so the parser can backtrack and
 * compare failures cheaply; it becomes a WeftError once, at the public edge.
 */
export class FilterSyntaxError extends Error {
  readonly offset: number;
  constructor(offset: number, detail: string) {
    super(detail);
    this.name = 'FilterSyntaxError';
    this.offset = offset;
  }
}

/** Consul prefixes every bad-filter answer this way; clients grep for it. */
const PREFIX = 'Failed to create boolean expression evaluator: ';

/** Formats `line:col (offset)` the way go-bexpr's generated parser does. */
export function toFilterInvalid(source: string, err: FilterSyntaxError): WeftError {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(err.offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const col = err.offset - lineStart + 1;
  return new WeftError('FILTER_INVALID', `${PREFIX}${line}:${col} (${err.offset}): ${err.message}`, {
    cause: err,
  });
}

/** Renders a found token for a message; JSON quoting keeps the message on one line. */
export function describeFound(text: string | undefined): string {
  if (text === undefined) return 'end of input';
  const short = text.length > 24 ? `${text.slice(0, 24)}…` : text;
  return JSON.stringify(short);
}

export function expectedError(offset: number, expected: readonly string[], found: string | undefined): FilterSyntaxError {
  const list =
    expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}` : expected[0];
  return new FilterSyntaxError(offset, `no match found, expected: ${list}, found ${describeFound(found)}`);
}
