/**
 * Parsing one config file's text into a plain value (HCL normalised to the JSON shape).
 * A syntax error names the file, line and column.
 */
import { normalizeHcl, parseHcl } from './hcl.js';
import { lineColumn, locateJsonError } from './json-position.js';
import type { ConfigProblem } from './runtime.js';
import type { Format } from './sources.js';

export type ParseOutcome = { ok: true; value: unknown } | { ok: false; problem: ConfigProblem };

export interface Parsed {
  value: unknown;
  /** Syntax errors, or HCL constructs Consul files cannot contain. */
  problems: ConfigProblem[];
  ok: boolean;
}

export async function parseSource(name: string, format: Format, text: string): Promise<Parsed> {
  const outcome = format === 'json' ? parseJson(name, text) : await parseHcl(name, text);
  if (!outcome.ok) return { ok: false, value: undefined, problems: [outcome.problem] };
  if (format === 'json') return { ok: true, value: outcome.value, problems: [] };
  const { value, problems } = normalizeHcl(name, outcome.value);
  return { ok: true, value, problems };
}

export function parseJson(fileName: string, text: string): ParseOutcome {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, problem: { where: fileName, message: describeJsonError(text, (err as Error).message) } };
  }
}

/** `syntax error at line 3, column 12: expected "," or "}"`. */
export function describeJsonError(text: string, v8Message: string): string {
  const fault = locateJsonError(text);
  if (fault === null) return `syntax error: ${v8Message}`;
  const { line, column } = lineColumn(text, fault.offset);
  return `syntax error at line ${line}, column ${column}: ${fault.reason}`;
}
