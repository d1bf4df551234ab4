import type { UpstreamLimits } from '../../state/config-entries/entry-types.js';

/** Envoy's defaults, which Consul keeps when a limit is not set. */
export const DEFAULT_LIMIT = 1024;

export type TripReason = 'max_concurrent_requests' | 'max_pending_requests';

/**
 * A target's circuit breaker (service-defaults UpstreamConfig.Limits). Every request in
 * flight holds a connection for HTTP/1.1, so requests past MaxConnections count as pending;
 * past MaxPendingRequests pending, or MaxConcurrentRequests in flight, new requests are
 * refused at once (503) instead of queueing behind a struggling upstream.
 */
export class CircuitBreaker {
  private active = 0;
  private maxConnections = DEFAULT_LIMIT;
  private maxPending = DEFAULT_LIMIT;
  private maxRequests = DEFAULT_LIMIT;

  constructor(limits: UpstreamLimits) {
    this.configure(limits);
  }

  configure(limits: UpstreamLimits): void {
    this.maxConnections = limits.MaxConnections || DEFAULT_LIMIT;
    this.maxPending = limits.MaxPendingRequests || DEFAULT_LIMIT;
    this.maxRequests = limits.MaxConcurrentRequests || DEFAULT_LIMIT;
  }

  /** Connections an HTTP/1.1 pool to one instance may open. */
  get connectionLimit(): number {
    return this.maxConnections;
  }

  get inFlight(): number {
    return this.active;
  }

  /** Admits a request (the caller must `leave()` once it ends) or names the limit it would break. */
  enter(): TripReason | null {
    if (this.active >= this.maxRequests) return 'max_concurrent_requests';
    if (this.active >= this.maxConnections && this.active - this.maxConnections >= this.maxPending) return 'max_pending_requests';
    this.active++;
    return null;
  }

  leave(): void {
    this.active--;
  }
}
