/**
 * Turns schema issues into `ConfigProblem`s with dotted paths, and checks one layer
 * against the schema, dropping invalid values so the rest of the layer still merges
 * (one bad port must not also produce "data_dir: required").
 */
import type { z } from 'zod';
import type { ConfigProblem } from './runtime.js';
import { fileSchema, type FileConfig } from './schema.js';

type Path = readonly PropertyKey[];

/** `ports.http`, `services[2].name`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** `agent.hcl: ports.http`; either part may be empty (a whole file, or a default). */
export function where(source: string, path: string): string {
  if (source === '') return path;
  return path === '' ? source : `${source}: ${path}`;
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'an object';
  if (typeof input === 'string') return `string "${input}"`;
  return `${typeof input} ${String(input)}`;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  record: 'an object',
};

/** Per-parse error map: messages that name the offending value, no zod jargon. */
function message(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return `expected ${expected}, got ${describe(issue.input)}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}; got ${describe(issue.input)}`;
    case 'invalid_union': {
      // `service`: an object or a list of objects; name what was expected of each branch.
      const expected = issue.errors
        .map((branch) => branch.find((i) => i.code === 'invalid_type' && i.path.length === 0))
        .map((i) => (i?.code === 'invalid_type' ? (TYPE_NAMES[i.expected] ?? i.expected) : undefined));
      if (expected.some((e) => e === undefined)) return undefined;
      return `expected ${expected.join(' or ')}, got ${describe(issue.input)}`;
    }
    case 'too_small':
      return `must be at least ${String(issue.minimum)}, got ${describe(issue.input)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}, got ${describe(issue.input)}`;
    default:
      return undefined;
  }
}

export function toProblems(source: string, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ where: source, message: `unknown key "${formatPath([...issue.path, key])}"` });
      }
    } else {
      out.push({ where: where(source, formatPath(issue.path)), message: issue.message });
    }
  }
  return out;
}

/** Removes the value at `path` (an array element is removed, shifting the rest). */
function removeAt(root: unknown, path: Path): boolean {
  if (path.length === 0) return false;
  let node: unknown = root;
  for (const part of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  if (node === null || typeof node !== 'object') return false;
  const last = path[path.length - 1];
  if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
  else delete (node as Record<PropertyKey, unknown>)[last];
  return true;
}

/**
 * Validates one layer. Returns the valid part (invalid values removed) and the problems.
 * `raw` is consumed (mutated); pass a copy if the caller still needs it.
 */
export function checkLayer(source: string, raw: unknown): { data: FileConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  let current = raw;
  // Each round removes at least one offending value; nesting depth bounds the rounds.
  for (let round = 0; round < 16; round++) {
    const result = fileSchema.safeParse(current, { error: message });
    if (result.success) return { data: result.data, problems };
    if (round === 0) problems.push(...toProblems(source, result.error.issues));
    let removed = false;
    // Remove deepest and highest-index paths first so earlier removals keep later paths valid.
    const paths = result.error.issues
      .flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path, k]) : [i.path]))
      .sort(comparePathsDesc);
    for (const path of paths) removed = removeAt(current, path) || removed;
    if (!removed) break;
  }
  return { data: {}, problems };
}

function comparePathsDesc(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === 'number' && typeof b[i] === 'number') return (b[i] as number) - (a[i] as number);
    return String(b[i]).localeCompare(String(a[i]));
  }
  return b.length - a.length;
}
