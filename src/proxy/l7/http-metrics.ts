import { Counter, Histogram, type Registry } from 'prom-client';

/** Latency buckets in seconds: sub-millisecond hops up to a slow request timing out. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** The counters one route of one listener bumps per request, resolved once so a request does no label lookups. */
export interface RouteCounters {
  byClass: Counter.Internal[];
  duration: Histogram.Internal<'listener' | 'route'>;
  retries: Counter.Internal;
}

/**
 * The L7 metrics: requests by listener (`upstream:<name>` or `public`), route and status
 * class; latency; retries; outlier ejections and circuit-breaker trips by target; requests
 * denied by intentions.
 */
export class HttpMetrics {
  private readonly requests: Counter<'listener' | 'route' | 'class'>;
  private readonly duration: Histogram<'listener' | 'route'>;
  private readonly retries: Counter<'listener' | 'route'>;
  readonly ejections: Counter<'listener' | 'target'>;
  readonly trips: Counter<'listener' | 'target' | 'limit'>;
  readonly denied: Counter<'listener'>;
  private readonly routes = new Map<string, RouteCounters>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({ name: 'weft_proxy_http_requests_total', help: 'HTTP requests answered, by listener, route and status class.', labelNames: ['listener', 'route', 'class'], registers });
    this.duration = new Histogram({ name: 'weft_proxy_http_request_duration_seconds', help: 'Time from a request arriving to its response ending, by listener and route.', labelNames: ['listener', 'route'], buckets: BUCKETS, registers });
    this.retries = new Counter({ name: 'weft_proxy_http_retries_total', help: 'Attempts repeated by the retry policy, by listener and route.', labelNames: ['listener', 'route'], registers });
    this.ejections = new Counter({ name: 'weft_proxy_http_outlier_ejections_total', help: 'Instances ejected by outlier detection, by listener and target.', labelNames: ['listener', 'target'], registers });
    this.trips = new Counter({ name: 'weft_proxy_http_circuit_breaker_trips_total', help: 'Requests refused with 503 by a circuit breaker, by listener, target and limit.', labelNames: ['listener', 'target', 'limit'], registers });
    this.denied = new Counter({ name: 'weft_proxy_http_denied_requests_total', help: 'Requests refused with 403 by L7 intentions, by listener.', labelNames: ['listener'], registers });
  }

  route(listener: string, route: string): RouteCounters {
    const key = `${listener}\u0000${route}`;
    let c = this.routes.get(key);
    if (!c) {
      c = {
        byClass: CLASSES.map((cls) => this.requests.labels({ listener, route, class: cls })),
        duration: this.duration.labels({ listener, route }),
        retries: this.retries.labels({ listener, route }),
      };
      this.routes.set(key, c);
    }
    return c;
  }

  /** Counts one answered request. */
  static observe(c: RouteCounters, status: number, seconds: number): void {
    const cls = Math.floor(status / 100) - 1;
    c.byClass[cls >= 0 && cls < 5 ? cls : 4].inc();
    c.duration.observe(seconds);
  }
}
