import type { Response } from '../api/client.js';

export interface FollowOptions {
  signal: AbortSignal;
  /** Told about each failed attempt; the follower keeps retrying. */
  onError?: (err: unknown, attempt: number) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Follows one blocking query until `signal` aborts: calls `fetch` with the last index, hands
 * every answer whose index moved to `onValue`, and backs off (doubling, capped) after
 * failures. The caller's `fetch` does the waiting; nothing here polls.
 */
export async function follow<T>(
  fetch: (index: number, signal: AbortSignal) => Promise<Response<T>>,
  onValue: (value: T, res: Response<T>) => void,
  opts: FollowOptions,
): Promise<void> {
  const min = opts.minBackoffMs ?? 500;
  const max = opts.maxBackoffMs ?? 30_000;
  let index = 0;
  let failures = 0;
  while (!opts.signal.aborted) {
    try {
      const res = await fetch(index, opts.signal);
      failures = 0;
      if (res.meta.index === index && index !== 0) continue;
      // An index that went backwards (a restarted agent) restarts from whatever it says now.
      index = res.meta.index;
      onValue(res.body, res);
    } catch (err) {
      if (opts.signal.aborted) return;
      failures++;
      opts.onError?.(err, failures);
      await pause(Math.min(max, min * 2 ** (failures - 1)), opts.signal);
    }
  }
}

