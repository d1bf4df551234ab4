/**
 * How a failing watch retries: exponential backoff from `backoff`, capped at
 * `maxBackoff`, for `attempts` tries (0 = forever), as consul-template's `consul.retry`.
 * After the last attempt the error ends the run.
 */
export interface RetryPolicy {
  enabled: boolean;
  /** Retries before giving up; 0 retries forever. */
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { enabled: true, attempts: 12, backoffMs: 250, maxBackoffMs: 60_000 };

/** Whether to retry after `retry` earlier retries, and how long to wait first. */
export function nextRetry(policy: RetryPolicy, retry: number): { retry: boolean; sleepMs: number } {
  if (!policy.enabled) return { retry: false, sleepMs: 0 };
  if (policy.attempts > 0 && retry > policy.attempts - 1) return { retry: false, sleepMs: 0 };
  const sleep = policy.backoffMs * 2 ** retry;
  if (policy.maxBackoffMs > 0 && sleep > policy.maxBackoffMs) return { retry: true, sleepMs: policy.maxBackoffMs };
  return { retry: true, sleepMs: sleep };
}
