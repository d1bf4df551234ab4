/**
 * What the runner knows: the latest data of every watched dependency (consul-template's
 * Brain). A template execution reads it synchronously; a dependency with no data yet is
 * "missing", and the template is not written until nothing is missing.
 */
import type { Dependency } from '../deps/dependency.js';

export class Brain {
  private readonly data = new Map<string, unknown>();

  remember(dep: Dependency, value: unknown): void {
    this.data.set(dep.key, value);
  }

  /** `[value, true]` once the dependency has returned data, `[undefined, false]` before. */
  recall(dep: Dependency): [unknown, boolean] {
    return this.data.has(dep.key) ? [this.data.get(dep.key), true] : [undefined, false];
  }

  forget(dep: Dependency): void {
    this.data.delete(dep.key);
  }
}

/** Dependencies by key, in first-use order. */
export class DepSet {
  private readonly map = new Map<string, Dependency>();

  add(dep: Dependency): void {
    if (!this.map.has(dep.key)) this.map.set(dep.key, dep);
  }

  has(dep: Dependency): boolean {
    return this.map.has(dep.key);
  }

  list(): Dependency[] {
    return [...this.map.values()];
  }

  get size(): number {
    return this.map.size;
  }
}

/** One execution's view of the world: the brain it reads, and the dependencies it used and lacked. */
export interface ExecutionScope {
  brain: Brain;
  used: DepSet;
  missing: DepSet;
}
