/**
 * HCL → the plain JSON shape of a Consul config file.
 *
 * `@cdktf/hcl2json` returns every block as a list of objects (`ports { }` →
 * `ports: [{…}]`) and every non-literal expression as a `${…}` template string.
 * Consul's files are static, so normalisation:
 * - collapses a block list into one object (two `ports {}` blocks merge), except under
 *   keys whose value is a list of definitions (`services`, `checks`, `upstreams`, …);
 * - keeps repeated top-level `service` / `check` blocks as a list (each one a definition);
 *   inside a definition, repeated `check` blocks join its `checks`;
 * - reports interpolation (`${var.x}`, `%{if}`) as an error and unescapes `$${` / `%%{`.
 */
import { formatPath, where } from './issues.js';
import type { ParseOutcome } from './parse.js';
import type { ConfigProblem } from './runtime.js';

/** Keys whose HCL block lists stay lists (Consul's own list-of-definitions keys). */
const LIST_KEYS = new Set([
  'services',
  'checks',
  'upstreams',
  'paths',
  'watches',
  'bootstrap',
  'segments',
  'managed_service_provider',
  'envoy_extensions',
]);

/** Singular block keys that may repeat in HCL; extra blocks join the plural list. */
const REPEATABLE: Record<string, string> = { service: 'services', check: 'checks' };

/**
 * Parses HCL text; a syntax error names the file, line and column. The parser is loaded
 * on first use: importing it instantiates a Go WebAssembly runtime (about 55 MB of RSS)
 * that an agent without HCL files never needs.
 */
export async function parseHcl(fileName: string, text: string): Promise<ParseOutcome> {
  const { parse } = await import('@cdktf/hcl2json');
  try {
    return { ok: true, value: await parse(fileName, text) };
  } catch (err) {
    return { ok: false, problem: { where: fileName, message: describeHclError(fileName, String((err as Error).message)) } };
  }
}

/** `parse config: [x.hcl:5,28-36: Summary; Detail x.hcl:7,1-2: …]` → first diagnostic, readable. */
export function describeHclError(fileName: string, raw: string): string {
  const body = raw.replace(/^parse config: \[/, '').replace(/\]$/, '');
  const prefix = new RegExp(`${escapeRe(fileName)}:(\\d+),(\\d+)(?:-\\d+(?:,\\d+)?)?: `, 'g');
  const first = prefix.exec(body);
  if (!first) return `syntax error: ${body}`;
  const next = prefix.exec(body);
  const text = body.slice(first.index + first[0].length, next ? next.index : undefined).trim();
  return `syntax error at line ${first[1]}, column ${first[2]}: ${text}`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Normalises hcl2json output (returns a new value); problems carry dotted paths. */
export function normalizeHcl(fileName: string, value: unknown): { value: unknown; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const out = walk(value, [], fileName, problems);
  return { value: out, problems };
}

type Json = unknown;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function walk(value: Json, path: (string | number)[], file: string, problems: ConfigProblem[]): Json {
  if (typeof value === 'string') return unescapeTemplate(value, path, file, problems);
  if (Array.isArray(value)) {
    return value.map((v, i) => walk(v, [...path, i], file, problems)).filter((v) => v !== DROP);
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  const repeated: [string, Record<string, unknown>[]][] = [];
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    const isBlockList = Array.isArray(child) && child.length > 0 && child.every(isPlainObject);
    if (!isBlockList || LIST_KEYS.has(key)) {
      const normalized = walk(child, childPath, file, problems);
      if (normalized !== DROP) out[key] = normalized;
      continue;
    }
    const blocks = child.map((b, i) =>
      walk(b, child.length === 1 ? childPath : [...childPath, i], file, problems),
    ) as Record<string, unknown>[];
    if (REPEATABLE[key] === undefined || blocks.length === 1) out[key] = blocks.reduce(mergeBlocks, {});
    else if (path.length === 0) out[key] = blocks; // top level: the schema takes a list, errors say `service[1]`
    else repeated.push([REPEATABLE[key], blocks]);
  }
  // As in Consul, singular definitions follow the file's plural list.
  for (const [plural, blocks] of repeated) out[plural] = [...asList(out[plural]), ...blocks];
  return out;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Two blocks of the same single-valued section: later keys win, nested blocks merge. */
function mergeBlocks(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = isPlainObject(out[k]) && isPlainObject(v) ? mergeBlocks(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

const DROP = Symbol('drop');

/** hcl2json keeps template syntax: `${x}` is an expression, `$${x}` a literal `${x}`. */
function unescapeTemplate(s: string, path: (string | number)[], file: string, problems: ConfigProblem[]): Json {
  if (/(^|[^$])\$\{|(^|[^%])%\{/.test(s)) {
    problems.push({
      where: where(file, formatPath(path)),
      message: `HCL expressions and interpolation are not supported in config files, got "${s}"`,
    });
    return DROP;
  }
  return s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}
