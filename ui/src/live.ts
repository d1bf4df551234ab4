import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, type RequestOptions } from './api.js';

export interface Live<T> {
  /** The latest answer; kept while a later request fails, so the page does not go blank. */
  data?: T;
  /** 404 answered (with `allow404`): the thing does not exist (yet). */
  missing: boolean;
  /** The last failure in plain words, cleared by the next success. */
  error?: string;
  /** The HTTP status of that failure (0: the agent could not be reached). */
  errorStatus?: number;
  loading: boolean;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * Follows one resource with Consul's blocking queries: ask, then ask again with
 * `?index=<X-Consul-Index>` so the agent answers only when it changes. The loop stops
 * (and its pending request is aborted) when the component unmounts or `path` changes.
 * Failures are shown and retried with a growing pause; an index that goes backwards
 * (a restored store) starts over from 0, as Consul's docs ask of clients.
 */
export function useLive<T>(path: string | null, opts: Pick<RequestOptions, 'query' | 'allow404'> = {}): Live<T> {
  const [state, setState] = useState<Live<T>>({ missing: false, loading: path !== null });
  const key = path === null ? null : `${path}?${JSON.stringify(opts.query ?? {})}`;

  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    setState({ missing: false, loading: true });
    void follow<T>(path, opts, abort.signal, (next) => setState((prev) => ({ ...prev, ...next })));
    return () => abort.abort();
    // `key` covers path and query; the options object is recreated on every render.
  }, [key]);

  return state;
}

async function follow<T>(path: string, opts: Pick<RequestOptions, 'query' | 'allow404'>, signal: AbortSignal, update: (s: Partial<Live<T>>) => void): Promise<void> {
  let index = 0;
  let retry = FIRST_RETRY_MS;
  while (!signal.aborted) {
    try {
      const answer = await get<T>(path, { ...opts, index, signal });
      if (signal.aborted) return;
      index = answer.index < index ? 0 : answer.index;
      retry = FIRST_RETRY_MS;
      const ok = { error: undefined, errorStatus: undefined, loading: false };
      update(answer.status === 404 ? { ...ok, data: undefined, missing: true } : { ...ok, data: answer.body, missing: false });
      // An endpoint without an index cannot block: asking again at once would spin.
      if (!answer.index) await pause(MAX_RETRY_MS, signal);
    } catch (err) {
      if (signal.aborted) return;
      update({ error: err instanceof ApiError ? err.message : String(err), errorStatus: err instanceof ApiError ? err.status : undefined, loading: false });
      index = 0;
      await pause(retry, signal);
      retry = Math.min(retry * 2, MAX_RETRY_MS);
    }
  }
}

/** The pause between retries; ends early when the page moves on. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = window.setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      window.clearTimeout(timer);
      resolve();
    });
  });
}
