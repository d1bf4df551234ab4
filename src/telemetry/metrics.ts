import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The agent's metrics, kept in prom-client and rendered either as Prometheus text or as
 * Consul's go-metrics JSON (`/v1/agent/metrics`), so both kinds of scrapers work.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'code'>;
  private readonly latency: Histogram<'method' | 'route'>;
  readonly blockingQueries: Gauge;
  readonly applied: Counter;
  private readonly children = new Map<string, { count: { inc(): void }; latency: { observe(v: number): void } }>();

  constructor(stateIndex: () => number) {
    collectDefaultMetrics({ register: this.registry, prefix: 'weft_' });
    this.requests = new Counter({
      name: 'weft_api_http_requests_total',
      help: 'HTTP API requests by method, route and status code.',
      labelNames: ['method', 'route', 'code'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'weft_api_http_request_duration_seconds',
      help: 'HTTP API request latency, blocking queries included.',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1, 10, 60, 600],
      registers: [this.registry],
    });
    this.blockingQueries = new Gauge({
      name: 'weft_api_blocking_queries',
      help: 'Blocking queries currently waiting.',
      registers: [this.registry],
    });
    this.applied = new Counter({ name: 'weft_state_applied_total', help: 'Log entries applied.', registers: [this.registry] });
    new Gauge({
      name: 'weft_state_index',
      help: 'Index of the last applied log entry.',
      registers: [this.registry],
      collect() {
        this.set(stateIndex());
      },
    });
  }

  observeRequest(method: string, route: string, code: number, startedNs: bigint): void {
    // Label-bound children are looked up once per label set: hashing labels on every request is
    // a measurable share of a fan-out of thousands of blocking queries.
    const key = `${method} ${route} ${code}`;
    let child = this.children.get(key);
    if (!child) {
      child = { count: this.requests.labels(method, route, String(code)), latency: this.latency.labels(method, route) };
      this.children.set(key, child);
    }
    child.count.inc();
    child.latency.observe(Number(process.hrtime.bigint() - startedNs) / 1e9);
  }

  prometheus(): Promise<string> {
    return this.registry.metrics();
  }

  get prometheusContentType(): string {
    return this.registry.contentType;
  }

  /** Consul's go-metrics JSON shape: gauges, counters and samples with their labels. */
  async goMetrics(): Promise<GoMetrics> {
    const out: GoMetrics = { Timestamp: goTimestamp(new Date()), Gauges: [], Points: [], Counters: [], Samples: [] };
    type Value = { value: number; labels?: Record<string, string | number | undefined>; metricName?: string };
    for (const metric of (await this.registry.getMetricsAsJSON()) as unknown as { name: string; type: string; values: Value[] }[]) {
      const name = metric.name.replace(/_/g, '.');
      if (metric.type === 'gauge') {
        for (const v of metric.values) out.Gauges.push({ Name: name, Value: v.value, Labels: stringLabels(v.labels) });
      } else if (metric.type === 'counter') {
        for (const v of metric.values) {
          out.Counters.push({ Name: name, Count: v.value, Rate: 0, Sum: v.value, Min: 1, Max: 1, Mean: 1, Stddev: 0, Labels: stringLabels(v.labels) });
        }
      } else if (metric.type === 'histogram') {
        const sums = metric.values.filter((v) => v.metricName?.endsWith('_sum'));
        const counts = metric.values.filter((v) => v.metricName?.endsWith('_count'));
        sums.forEach((s, i) => {
          const count = counts[i]?.value ?? 0;
          out.Samples.push({
            Name: name,
            Count: count,
            Sum: s.value * 1000,
            Mean: count ? (s.value * 1000) / count : 0,
            Rate: 0,
            Min: 0,
            Max: 0,
            Stddev: 0,
            Labels: stringLabels(s.labels),
          });
        });
      }
    }
    return out;
  }
}

export interface GoMetrics {
  Timestamp: string;
  Gauges: { Name: string; Value: number; Labels: Record<string, string> }[];
  Points: unknown[];
  Counters: Record<string, unknown>[];
  Samples: Record<string, unknown>[];
}

function stringLabels(labels: Record<string, string | number | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) out[k] = String(v);
  return out;
}

/** go-metrics prints its interval start as "2006-01-02 15:04:05 +0000 UTC". */
function goTimestamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}
