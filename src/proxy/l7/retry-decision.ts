import type { RetryPolicy } from './route-table.js';
import type { FailureKind } from './transports/transport.js';

/** gRPC status codes by the names service-router RetryOn uses. */
const GRPC_CONDITIONS: Record<string, string> = { cancelled: '1', 'deadline-exceeded': '4', 'resource-exhausted': '8', internal: '13', unavailable: '14' };

/**
 * A connection that never got the request out is safe to try elsewhere: Weft tries up to
 * this many more instances even without a retry policy (Consul's built-in proxy did the same
 * at L4; Envoy needs RetryOnConnectFailure).
 */
export const CONNECT_FAILURE_RETRIES = 2;

/** Envoy's retry back-off: fully jittered exponential from 25 ms, at most 250 ms. */
export function backoffMs(retry: number, rand: number): number {
  return Math.floor(rand * Math.min(250, 25 * 2 ** retry));
}

/** Whether an answer with this status (and, for gRPC, grpc-status header) should be tried again. */
export function retriableStatus(p: RetryPolicy, status: number, grpcStatus: string | undefined): boolean {
  if (p.statusCodes.has(status)) return true;
  const on = p.retryOn;
  if (on.size === 0) return false;
  if (status >= 500 && on.has('5xx')) return true;
  if ((status === 502 || status === 503 || status === 504) && on.has('gateway-error')) return true;
  if (status === 409 && on.has('retriable-4xx')) return true;
  if (grpcStatus !== undefined) for (const c of on) if (GRPC_CONDITIONS[c] === grpcStatus) return true;
  return false;
}

/** Whether a failed attempt (no answer) should be tried again, and how many attempts that allows in all. */
export function retriableFailure(p: RetryPolicy, kind: FailureKind | 'timeout'): { retry: boolean; retries: number } {
  const on = p.retryOn;
  switch (kind) {
    case 'connect':
      return { retry: true, retries: Math.max(p.numRetries, CONNECT_FAILURE_RETRIES) };
    case 'refused':
      return { retry: on.has('refused-stream') || on.has('reset') || on.has('5xx'), retries: p.numRetries };
    case 'reset':
      return { retry: on.has('reset') || on.has('5xx') || on.has('gateway-error'), retries: p.numRetries };
    case 'timeout':
      // Only a per-try deadline gets here: the request's own deadline ends every attempt.
      return { retry: on.has('5xx') || on.has('gateway-error') || p.statusCodes.has(504), retries: p.numRetries };
  }
}
