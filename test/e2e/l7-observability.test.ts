import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './harness.js';
import { allowOnlyIntention } from './l7-entries.js';
import { L7_METRICS, L7Mesh, MeshCaller, metricSum } from './l7-harness.js';

/**
 * Seeing and policing requests between real processes: L7 intentions decide per request at
 * currency's sidecar, access logs and Prometheus metrics count what web sends, and trace
 * context crosses both sidecars with a new span at each hop.
 */
let mesh: L7Mesh;
let web: MeshCaller;

beforeAll(async () => {
  mesh = await L7Mesh.start();
  await mesh.put(...['web', 'currency'].map((Name) => ({ Kind: 'service-defaults', Name, Protocol: 'http' })));
  await mesh.add({ id: 'currency', service: 'currency' }, { id: 'web', service: 'web', app: null, upstreams: ['currency'] });
  web = new MeshCaller(mesh.instance('web').upstreamPorts.currency);
  await waitFor(async () => (await web.request('/currency/GBP')).status === 200, { timeoutMs: 10_000, what: 'currency through the sidecars' });
});

afterAll(async () => {
  await web?.close();
  await mesh?.stop();
});

describe('L7 intentions', () => {
  it('lets web GET /currency only; anything else gets 403 with a plain-text reason', async () => {
    await mesh.write(allowOnlyIntention('currency', 'web', 'PathPrefix = "/currency", Methods = ["GET"]'));
    try {
      await waitFor(async () => (await web.request('/currency/GBP', { method: 'POST', body: '{}' })).status === 403, { timeoutMs: 2000, what: 'the intention to apply' });

      const allowed = await web.request('/currency/GBP?amount=5');
      expect(allowed.status).toBe(200);
      expect(allowed.body).toMatchObject({ service: 'currency', method: 'GET', url: '/currency/GBP?amount=5' });
      for (const denied of [await web.request('/currency/GBP', { method: 'DELETE' }), await web.request('/admin/rates')]) {
        expect(denied.status).toBe(403);
        expect(String(denied.headers['content-type'])).toMatch(/^text\/plain/);
        expect(denied.text).toMatch(/denied/i);
        expect(denied.body).toBeUndefined();
      }
      // The connection stays usable after a denial.
      expect((await web.request('/currency/EUR')).status).toBe(200);
    } finally {
      await mesh.deleteEntry('service-intentions', 'currency');
    }
    await waitFor(async () => (await web.request('/admin/rates')).status === 200, { timeoutMs: 2000, what: 'the deletion to apply' });
  });
});

describe('access logs, metrics and tracing', () => {
  it('writes one JSON access-log line per request on the sidecar stdout once proxy-defaults enables them', async () => {
    await mesh.writeAndWait('web', `
Kind = "proxy-defaults"
Name = "global"
AccessLogs {
  Enabled = true
}
`);
    const paths = ['/currency/log-1', '/currency/log-2?amount=3', '/currency/log-3'];
    for (const p of paths) expect((await web.request(p)).status).toBe(200);
    expect((await web.request('/currency/log-4?status=418')).status).toBe(418);

    const lines = (id: string) => jsonLines(mesh.instance(id).sidecar.stdout).filter((e) => String(e.path ?? '').startsWith('/currency/log-'));
    await waitFor(() => lines('web').length >= 4 && lines('currency').length >= 4, { timeoutMs: 2000, what: 'four access-log lines on each sidecar' });
    const entries = lines('web');
    expect(entries.map((e) => e.path)).toEqual([...paths, '/currency/log-4?status=418']);
    for (const e of entries) {
      expect(e).toMatchObject({ log_type: 'access', listener: 'upstream:currency', method: 'GET', upstream: expect.stringMatching(/^currency\./) });
      expect(typeof e.duration_ms).toBe('number');
      expect(e.duration_ms as number).toBeGreaterThanOrEqual(0);
    }
    expect(entries.map((e) => e.response_code)).toEqual([200, 200, 200, 418]);

    // currency's sidecar logs the same requests as they arrive, naming the caller, under the same request id.
    const inbound = lines('currency');
    expect(inbound.map((e) => [e.listener, e.source, e.path, e.response_code])).toEqual(entries.map((e) => ['public', 'web', e.path, e.response_code]));
    expect(inbound.map((e) => e.request_id)).toEqual(entries.map((e) => e.request_id));
  });

  it("counts web's requests to currency by status class and times them", async () => {
    const labels = { listener: 'upstream:currency' };
    const before = await mesh.metrics('web');
    for (let i = 0; i < 5; i++) expect((await web.request(`/currency/m-${i}`)).status).toBe(200);
    expect((await web.request('/currency/m-err?status=503')).status).toBe(503);
    const after = await mesh.metrics('web');

    const delta = (name: string, extra: Record<string, string> = {}) => metricSum(after, name, { ...labels, ...extra }) - metricSum(before, name, { ...labels, ...extra });
    expect(delta(L7_METRICS.requests)).toBe(6);
    expect(delta(L7_METRICS.requests, { class: '2xx' })).toBe(5);
    expect(delta(L7_METRICS.requests, { class: '5xx' })).toBe(1);
    expect(delta(`${L7_METRICS.duration}_count`)).toBe(6);
    expect(delta(`${L7_METRICS.duration}_sum`)).toBeGreaterThan(0);
  });

  it('carries a W3C traceparent to the app with the same trace id and a new parent id', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const r = await web.request('/currency/traced', { headers: { traceparent: `00-${traceId}-${parentId}-01`, tracestate: 'congo=t61rcWkgMzE' } });
    const got = r.body!.headers;
    const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(got.traceparent ?? '');
    expect(m, `traceparent at the app: ${got.traceparent}`).not.toBeNull();
    expect(m![1]).toBe(traceId);
    expect(m![2]).not.toBe(parentId);
    expect(m![2]).not.toBe('0000000000000000');
    expect(m![3]).toBe('01');
    expect(got.tracestate).toBe('congo=t61rcWkgMzE');
  });

  it('carries B3 headers to the app with the same trace id and a new span id', async () => {
    const traceId = '463ac35c9f6413ad48485a3953bb6124';
    const spanId = 'a2fb4a1d1a96d312';
    const r = await web.request('/currency/b3', { headers: { 'x-b3-traceid': traceId, 'x-b3-spanid': spanId, 'x-b3-sampled': '1' } });
    const got = r.body!.headers;
    expect(got['x-b3-traceid']).toBe(traceId);
    expect(got['x-b3-spanid']).toMatch(/^[0-9a-f]{16}$/);
    expect(got['x-b3-spanid']).not.toBe(spanId);
    expect(got['x-b3-sampled']).toBe('1');
  });

  it('starts a fresh trace for a request without trace headers', async () => {
    const [a, b] = [await web.request('/currency/untraced'), await web.request('/currency/untraced')];
    const ids = [a, b].map((r) => /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(r.body!.headers.traceparent ?? '')?.[1]);
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(ids[0]).not.toBe('0'.repeat(32));
    expect(ids[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});

/** The complete JSON lines of a process's output (its text log lines are not JSON). */
function jsonLines(output: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // The last line may still be arriving.
    }
  }
  return out;
}
