/** The set of running views, one per dependency key (consul-template's watch/watcher.go). */
import type { Dependency } from './dependency.js';
import { View, type ViewOptions } from './view.js';

export class Watcher {
  private readonly views = new Map<string, View>();

  constructor(
    private readonly opts: ViewOptions,
    private readonly onData: (view: View) => void,
    private readonly onError: (dep: Dependency, err: Error) => void,
  ) {}

  /** Starts watching `dep` unless a view for its key is already running. */
  add(dep: Dependency): void {
    if (this.views.has(dep.key)) return;
    const view = new View(dep, this.opts, this.onData, (v, err) => {
      this.views.delete(v.dependency.key);
      this.onError(v.dependency, err);
    });
    this.views.set(dep.key, view);
    view.start();
  }

  watching(dep: Dependency): boolean {
    return this.views.has(dep.key);
  }

  remove(dep: Dependency): void {
    const view = this.views.get(dep.key);
    if (!view) return;
    view.stop();
    this.views.delete(dep.key);
  }

  get size(): number {
    return this.views.size;
  }

  stop(): void {
    for (const view of this.views.values()) view.stop();
    this.views.clear();
  }
}
