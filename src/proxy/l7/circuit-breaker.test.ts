import { describe, expect, it } from 'vitest';
import { CircuitBreaker, DEFAULT_LIMIT } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('refuses requests past MaxConcurrentRequests and admits again once one leaves', () => {
    const b = new CircuitBreaker({ MaxConcurrentRequests: 2 });
    expect(b.enter()).toBeNull();
    expect(b.enter()).toBeNull();
    expect(b.enter()).toBe('max_concurrent_requests');
    b.leave();
    expect(b.enter()).toBeNull();
    expect(b.inFlight).toBe(2);
  });

  it('counts requests past MaxConnections as pending and refuses past MaxPendingRequests', () => {
    const b = new CircuitBreaker({ MaxConnections: 1, MaxPendingRequests: 2 });
    expect([b.enter(), b.enter(), b.enter()]).toEqual([null, null, null]);
    expect(b.enter()).toBe('max_pending_requests');
  });

  it("keeps Envoy's 1024 when a limit is unset or zero", () => {
    const b = new CircuitBreaker({ MaxConnections: 0 });
    expect(b.connectionLimit).toBe(DEFAULT_LIMIT);
    for (let i = 0; i < DEFAULT_LIMIT; i++) expect(b.enter()).toBeNull();
    expect(b.enter()).toBe('max_concurrent_requests');
  });

  it('takes new limits without forgetting requests in flight', () => {
    const b = new CircuitBreaker({});
    b.enter();
    b.enter();
    b.configure({ MaxConcurrentRequests: 2 });
    expect(b.enter()).toBe('max_concurrent_requests');
  });
});
