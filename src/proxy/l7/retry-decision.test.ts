import { describe, expect, it } from 'vitest';
import { CONNECT_FAILURE_RETRIES, backoffMs, retriableFailure, retriableStatus } from './retry-decision.js';
import type { RetryPolicy } from './route-table.js';

const policy = (p: Partial<RetryPolicy> = {}): RetryPolicy => ({ numRetries: 2, retryOnConnectFailure: false, retryOn: new Set(), statusCodes: new Set(), perTryTimeoutMs: 0, ...p });

describe('retry decisions', () => {
  it('retries listed status codes and the RetryOn classes', () => {
    expect(retriableStatus(policy({ statusCodes: new Set([503]) }), 503, undefined)).toBe(true);
    expect(retriableStatus(policy({ statusCodes: new Set([503]) }), 500, undefined)).toBe(false);
    expect(retriableStatus(policy({ retryOn: new Set(['5xx']) }), 500, undefined)).toBe(true);
    expect(retriableStatus(policy({ retryOn: new Set(['gateway-error']) }), 500, undefined)).toBe(false);
    expect(retriableStatus(policy({ retryOn: new Set(['gateway-error']) }), 502, undefined)).toBe(true);
    expect(retriableStatus(policy({ retryOn: new Set(['retriable-4xx']) }), 409, undefined)).toBe(true);
    expect(retriableStatus(policy(), 503, undefined)).toBe(false);
  });

  it('retries gRPC statuses by name', () => {
    expect(retriableStatus(policy({ retryOn: new Set(['unavailable']) }), 200, '14')).toBe(true);
    expect(retriableStatus(policy({ retryOn: new Set(['unavailable']) }), 200, '13')).toBe(false);
    expect(retriableStatus(policy({ retryOn: new Set(['internal', 'cancelled']) }), 200, '1')).toBe(true);
  });

  it('always tries another instance when nothing was sent, and resets only when asked', () => {
    expect(retriableFailure(policy({ numRetries: 0 }), 'connect')).toEqual({ retry: true, retries: CONNECT_FAILURE_RETRIES });
    expect(retriableFailure(policy({ numRetries: 5 }), 'connect').retries).toBe(5);
    expect(retriableFailure(policy(), 'reset').retry).toBe(false);
    expect(retriableFailure(policy({ retryOn: new Set(['reset']) }), 'reset').retry).toBe(true);
    expect(retriableFailure(policy({ retryOn: new Set(['refused-stream']) }), 'refused').retry).toBe(true);
    expect(retriableFailure(policy({ retryOn: new Set(['5xx']) }), 'timeout').retry).toBe(true);
  });

  it("backs off with Envoy's jittered exponential, capped at 250 ms", () => {
    expect(backoffMs(0, 0.999)).toBeLessThan(25);
    expect(backoffMs(2, 0.999)).toBe(99);
    expect(backoffMs(10, 0.999)).toBe(249);
    expect(backoffMs(3, 0)).toBe(0);
  });
});
