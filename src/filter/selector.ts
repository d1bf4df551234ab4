/** A test on the value a selector lands on; `undefined` stands for "no such field". */
export type ValueTest = (value: unknown) => boolean;

export interface CompiledPath {
  readonly names: readonly string[];
  /** Lower-cased once here so the case-insensitive fallback never re-lowers the selector. */
  readonly lower: readonly string[];
}

export function compilePath(parts: readonly string[]): CompiledPath {
  return { names: parts, lower: parts.map((p) => p.toLowerCase()) };
}

/**
 * Walks `path` from `root` and applies `test` to what it reaches. An array met
 * before the path ends fans out: the result is true if the test holds for ANY
 * element (go-bexpr's rule for `Checks.Status == "passing"`). An empty array
 * there, a missing field, or a step into a primitive/null yields `undefined`,
 * which the tests treat as an empty value rather than an error.
 */
export function anyAlong(path: CompiledPath, root: unknown, test: ValueTest): boolean {
  return walk(path, root, 0, test);
}

function walk(path: CompiledPath, value: unknown, from: number, test: ValueTest): boolean {
  const { names, lower } = path;
  let current = value;
  for (let i = from; i < names.length; i++) {
    if (Array.isArray(current)) {
      if (current.length === 0) return test(undefined);
      for (let j = 0; j < current.length; j++) {
        if (walk(path, current[j], i, test)) return true;
      }
      return false;
    }
    current = field(current, names[i], lower[i]);
    if (current === undefined) return test(undefined);
  }
  return test(current);
}

/**
 * go-bexpr matches Go struct fields case-insensitively; plain JSON cannot tell
 * a struct from a map, so an exact key wins and any case-variant is the fallback.
 */
function field(container: unknown, name: string, lower: string): unknown {
  if (container === null || typeof container !== 'object') return undefined;
  const obj = container as Record<string, unknown>;
  if (Object.hasOwn(obj, name)) return obj[name];
  for (const key in obj) {
    if (key.length === lower.length && Object.hasOwn(obj, key) && key.toLowerCase() === lower) return obj[key];
  }
  return undefined;
}
