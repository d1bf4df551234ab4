/**
 * A dependency is one thing a template reads: a KV key, a service's healthy instances, a
 * file... The runner watches each one with its own loop (`view.ts`) and re-renders when
 * its data changes. Two template calls with the same `key` share one watch.
 */
import type { ApiClient } from '../../api/index.js';

export interface FetchOptions {
  /** The index of the last answer; 0 asks for the current data without blocking. */
  index: number;
  /** How long a blocking query may wait, in milliseconds. */
  waitMs: number;
  /** Let any server answer (`?stale`), for `max_stale`. */
  stale: boolean;
  signal: AbortSignal;
}

export interface FetchResult {
  value: unknown;
  index: number;
  /** Milliseconds since the answering server last heard from the leader (X-Consul-LastContact). */
  lastContact: number;
}

export interface DependencyContext {
  client: ApiClient;
  /** The environment the template runs in (for `env`); separate from process.env so tests can set it. */
  env: NodeJS.ProcessEnv;
}

export interface Dependency {
  /** Identity, in consul-template's spelling (`kv.get(foo)`, `health.service(web|passing)`); equal keys share one watch. */
  readonly key: string;
  /**
   * `key` renders only once the value is non-nil: a missing key holds the template back
   * rather than rendering an empty value (consul-template's "blocking" key).
   */
  readonly blockOnNil?: boolean;
  fetch(ctx: DependencyContext, opts: FetchOptions): Promise<FetchResult>;
}

/** Answers for things that are not Consul queries (files, datacenters) carry a counter as their index. */
let localIndex = 0;
export function nextLocalIndex(): number {
  localIndex += 1;
  return localIndex;
}

/** Sleeps for `ms`, or until the signal aborts (then rejects with its reason). */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The query parameters every Consul dependency sends for a fetch. */
export function blockingQuery(opts: FetchOptions, extra: Record<string, string | boolean | undefined> = {}): Record<string, string | number | boolean | undefined> {
  const q: Record<string, string | number | boolean | undefined> = { ...extra };
  if (opts.stale) q.stale = true;
  if (opts.index > 0) {
    q.index = opts.index;
    q.wait = `${Math.max(1, Math.round(opts.waitMs))}ms`;
  }
  return q;
}
