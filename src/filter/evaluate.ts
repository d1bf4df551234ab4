import type { Expr } from './ast.js';
import { compileTest } from './match.js';
import { anyAlong, compilePath } from './selector.js';

export type Predicate = (value: unknown) => boolean;

/**
 * Turns the tree into closures once, so each evaluation is plain calls: no
 * node dispatch, no regex or number parsing, no allocation.
 */
export function toPredicate(expr: Expr): Predicate {
  switch (expr.type) {
    case 'and':
      return every(expr.operands.map(toPredicate));
    case 'or':
      return some(expr.operands.map(toPredicate));
    case 'not': {
      const inner = toPredicate(expr.operand);
      return (v) => !inner(v);
    }
    case 'match': {
      const path = compilePath(expr.selector.parts);
      const test = compileTest(expr);
      // Negating after the fan-out is what makes `Checks.Status != "critical"`
      // mean "no check is critical" rather than "some check is not critical".
      return expr.negate ? (v) => !anyAlong(path, v, test) : (v) => anyAlong(path, v, test);
    }
  }
}

function every(parts: Predicate[]): Predicate {
  if (parts.length === 2) {
    const [a, b] = parts;
    return (v) => a(v) && b(v);
  }
  return (v) => {
    for (let i = 0; i < parts.length; i++) if (!parts[i](v)) return false;
    return true;
  };
}

function some(parts: Predicate[]): Predicate {
  if (parts.length === 2) {
    const [a, b] = parts;
    return (v) => a(v) || b(v);
  }
  return (v) => {
    for (let i = 0; i < parts.length; i++) if (parts[i](v)) return true;
    return false;
  };
}
