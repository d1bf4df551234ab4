import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './harness.js';
import { route, serviceRouter, versionResolver } from './l7-entries.js';
import { L7_METRICS, L7Mesh, MeshCaller, burst, metricSum, tally } from './l7-harness.js';

/**
 * What keeps web answering when currency and its neighbours misbehave, between real
 * processes: resolver failover when every v1 instance is down, retries hiding a flaky
 * upstream, a request timeout, a circuit breaker in front of a slow app, and the ejection of
 * an instance that only answers 500.
 */
let mesh: L7Mesh;
let currency: MeshCaller;
let rates: MeshCaller;
let fx: MeshCaller;

const RESOLVER = versionResolver('currency', { failoverToV2: true });
/** web's service-defaults with one UpstreamConfig override: `fields` (HCL) for its calls to `upstream`. */
const webUpstreamOverride = (upstream: string, fields: string) => `
Kind     = "service-defaults"
Name     = "web"
Protocol = "http"
UpstreamConfig = {
  Overrides = [
    {
      Name = "${upstream}"
      ${fields}
    },
  ]
}
`;

beforeAll(async () => {
  mesh = await L7Mesh.start();
  await mesh.put(...['web', 'currency', 'rates', 'fx'].map((Name) => ({ Kind: 'service-defaults', Name, Protocol: 'http' })));
  await mesh.add(
    { id: 'currency-v1', service: 'currency', version: 'v1' },
    { id: 'currency-v2', service: 'currency', version: 'v2' },
    { id: 'rates', service: 'rates', app: { failEvery: 3, failStatus: 503 } },
    { id: 'fx-good', service: 'fx', version: 'v1' },
    { id: 'fx-bad', service: 'fx', version: 'v2', app: { status: 500 } },
    { id: 'web', service: 'web', app: null, upstreams: ['currency', 'rates', 'fx'] },
  );
  const ports = mesh.instance('web').upstreamPorts;
  currency = new MeshCaller(ports.currency, 24);
  rates = new MeshCaller(ports.rates);
  fx = new MeshCaller(ports.fx);
});

afterAll(async () => {
  await Promise.all([currency, rates, fx].map((c) => c?.close()));
  await mesh?.stop();
});

const webMetric = async (name: string, labels: Record<string, string> = {}) => metricSum(await mesh.metrics('web'), name, labels);

describe('resilience at L7', () => {
  it('fails over to the v2 subset while every v1 instance is unhealthy, and back', async () => {
    await mesh.write(RESOLVER);
    await waitFor(async () => tally(await burst(currency, '/currency/GBP', 20, 1)).byVersion.v1 === 20, { timeoutMs: 5000, what: 'the resolver to send everything to v1' });

    await mesh.weft('maint', '-enable', '-service', 'currency-v1', '-reason', 'failover drill');
    try {
      await waitFor(async () => (await currency.request('/currency/GBP')).body?.version === 'v2', { timeoutMs: 5000, what: 'failover to v2' });
      const during = tally(await burst(currency, '/currency/GBP', 50, 2));
      expect(during.failures).toEqual([]);
      expect(during.byVersion).toEqual({ v2: 50 });
    } finally {
      await mesh.weft('maint', '-disable', '-service', 'currency-v1');
    }
    await waitFor(async () => tally(await burst(currency, '/currency/GBP', 20, 1)).byVersion.v1 === 20, { timeoutMs: 5000, what: 'v1 to be back' });
  });

  it('hides an upstream that fails every third request behind two retries on 503', async () => {
    // Every third request fails for a caller without retries.
    const bare = tally(await burst(rates, '/rates/EUR', 30, 1));
    expect(bare.failures.map((f) => f.status)).toEqual(Array(10).fill(503));

    const retriesBefore = await webMetric(L7_METRICS.retries);
    await mesh.write(serviceRouter('rates', route(['PathPrefix = "/"'], ['NumRetries         = 2', 'RetryOnStatusCodes = [503]'])));
    // Three answers in a row without a failure only happen with retries.
    await waitFor(async () => tally(await burst(rates, '/rates/EUR', 6, 1)).failures.length === 0, { timeoutMs: 5000, what: 'the retry policy to apply' });
    const { failures, byVersion } = tally(await burst(rates, '/rates/EUR', 300, 1));
    expect(failures).toEqual([]);
    expect(byVersion.v1).toBe(300);
    expect((await webMetric(L7_METRICS.retries)) - retriesBefore).toBeGreaterThanOrEqual(100);
  });

  it('answers 504 when a route has a request timeout the app does not meet', async () => {
    await mesh.write(RESOLVER);
    await mesh.write(serviceRouter('currency', route(['PathPrefix = "/currency/slow"'], ['RequestTimeout = "200ms"'])));
    await waitFor(async () => (await currency.request('/currency/slow?delay=1500')).status === 504, { timeoutMs: 8000, what: 'the request timeout to apply' });

    const started = Date.now();
    const slow = await currency.request('/currency/slow?delay=1500');
    const took = Date.now() - started;
    expect(slow.status).toBe(504);
    expect(slow.text).toMatch(/timeout/);
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(1200);
    console.info(`request timeout 200ms: 504 after ${took} ms`);
    expect((await currency.request('/currency/slow?delay=10')).status).toBe(200);
    // Other routes have no timeout.
    expect((await currency.request('/currency/GBP?delay=400')).body).toMatchObject({ service: 'currency', path: '/currency/GBP' });
  });

  it('trips the circuit breaker of web → currency: some requests get 503 at once, the app never sees more than the limit', async () => {
    await mesh.write(RESOLVER);
    const v1 = mesh.instance('currency-v1').app!;
    // A request abandoned by an earlier timeout may still be running in the app.
    await waitFor(async () => (await v1.stats()).inFlight === 0, { timeoutMs: 5000, what: 'currency v1 to be idle' });
    await v1.stats({ reset: true });
    const tripsBefore = await webMetric(L7_METRICS.circuitBreakerTrips);
    await mesh.writeAndWait('web', webUpstreamOverride('currency', 'Limits = { MaxConnections = 10, MaxPendingRequests = 1, MaxConcurrentRequests = 2 }'));
    // 0 stands for a network error: every caller must get an answer.
    const statuses = await Promise.all(Array.from({ length: 20 }, () => currency.request('/currency/GBP?delay=600').then((r) => r.status, () => 0)));
    const ok = statuses.filter((s) => s === 200).length;
    const rejected = statuses.filter((s) => s === 503).length;
    expect(ok + rejected, `statuses: ${statuses.join(' ')}`).toBe(20);
    // Two in flight; a third may wait in the pending queue or overflow at once, as in Envoy.
    expect(ok).toBeGreaterThanOrEqual(2);
    expect(ok).toBeLessThanOrEqual(3);
    expect((await v1.stats()).maxInFlight).toBeLessThanOrEqual(2);
    expect((await webMetric(L7_METRICS.circuitBreakerTrips)) - tripsBefore).toBeGreaterThanOrEqual(rejected);
    console.info(`circuit breaker: ${ok} of 20 concurrent requests answered 200, ${rejected} got 503`);
  });

  it('ejects the fx instance that answers 500 after three failures in a row, and the errors stop', async () => {
    const ejectionsBefore = await webMetric(L7_METRICS.ejections);
    await mesh.writeAndWait(
      'web',
      webUpstreamOverride(
        'fx',
        `PassiveHealthCheck = {
        Interval                = "1s"
        MaxFailures             = 3
        EnforcingConsecutive5xx = 100
        MaxEjectionPercent      = 50
        BaseEjectionTime        = "30s"
      }`,
      ),
    );
    // Round the two instances until the bad one is out: only its first failures reach the caller.
    const first = await burst(fx, '/fx/EUR', 40, 1);
    const errorsBeforeEjection = first.filter((s) => s.status === 500).length;
    expect(errorsBeforeEjection).toBeGreaterThanOrEqual(3);
    expect(errorsBeforeEjection).toBeLessThanOrEqual(6);
    console.info(`outlier detection: ${errorsBeforeEjection} errors reached web before fx-bad was ejected`);
    expect(first.slice(-20).every((s) => s.status === 200 && s.version === 'v1')).toBe(true);

    const after = tally(await burst(fx, '/fx/EUR', 100, 2));
    expect(after.failures).toEqual([]);
    expect(after.byVersion).toEqual({ v1: 100 });
    expect((await webMetric(L7_METRICS.ejections)) - ejectionsBefore).toBeGreaterThanOrEqual(1);
  });
});
