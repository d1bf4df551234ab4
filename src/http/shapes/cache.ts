/**
 * Store rows are immutable (a write replaces the row object), so the wire shape of a row
 * can be built once and reused by every answer that includes it until the row is replaced.
 * Shapes handed out from here are shared: callers must not mutate them.
 */
const shapes = new WeakMap<object, unknown>();

export function cachedShape<T>(row: object, build: () => T): T {
  let shape = shapes.get(row) as T | undefined;
  if (shape === undefined) {
    shape = build();
    shapes.set(row, shape);
  }
  return shape;
}

/** A shape built from two rows (a service and its node): reused while both are unchanged. */
const pairs = new WeakMap<object, { other: object; shape: unknown }>();

export function cachedPairShape<T>(row: object, other: object, build: () => T): T {
  const hit = pairs.get(row);
  if (hit && hit.other === other) return hit.shape as T;
  const shape = build();
  pairs.set(row, { other, shape });
  return shape;
}
