import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './harness.js';
import { route, serviceRouter, versionResolver } from './l7-entries.js';
import { L7Mesh, MeshCaller, burst, startLoad, tally } from './l7-harness.js';

/**
 * The seed talk's migration, at L7 between real processes: web (the legacy front end) calls
 * the monolith through its sidecar; a router on the monolith splits off the currency
 * microservice, a resolver and a splitter canary currency v2, a header sends testers to v2,
 * and the canary is widened while traffic flows.
 */
let mesh: L7Mesh;
let web: MeshCaller;

const TESTERS_TO_V2 = route(['PathPrefix = "/currency"', 'Header = [{ Name = "group", Exact = "dev" }]'], ['Service = "currency"', 'ServiceSubset = "v2"']);
const CURRENCY =
  route(['PathPrefix = "/currency"'], ['Service = "currency"']) +
  route(['PathPrefix = "/api/currency/"'], ['Service = "currency"', 'PrefixRewrite = "/currency/"']);
const router = (...routes: string[]) => serviceRouter('monolith', ...routes);
const RESOLVER = versionResolver('currency');
const splitter = (v1: number, v2: number) => `
Kind = "service-splitter"
Name = "currency"
Splits = [
  { Weight = ${v1}, ServiceSubset = "v1" },
  { Weight = ${v2}, ServiceSubset = "v2" },
]
`;

beforeAll(async () => {
  mesh = await L7Mesh.start();
  await mesh.put(...['web', 'monolith', 'currency'].map((Name) => ({ Kind: 'service-defaults', Name, Protocol: 'http' })));
  await mesh.add(
    { id: 'monolith', service: 'monolith' },
    { id: 'currency-v1', service: 'currency', version: 'v1' },
    { id: 'currency-v2', service: 'currency', version: 'v2' },
    { id: 'web', service: 'web', app: null, upstreams: ['monolith'] },
  );
  web = new MeshCaller(mesh.instance('web').upstreamPorts.monolith);
});

afterAll(async () => {
  await web?.close();
  await mesh?.stop();
});

/** Resolves once `n` requests in a row are served by `version`: a change that has no other sign has reached the proxy. */
async function untilServedBy(version: string, n: number, headers?: Record<string, string>): Promise<void> {
  await waitFor(async () => tally(await burst(web, '/currency/GBP', n, 1, headers)).byVersion[version] === n, { timeoutMs: 5000, what: `${n} requests in a row served by ${version}` });
}

describe('splitting off the currency microservice (service-router)', () => {
  it('sends /currency to the currency service and keeps everything else on the monolith', async () => {
    await mesh.write(router(CURRENCY));
    await waitFor(async () => (await web.request('/currency/GBP')).body?.service === 'currency', { timeoutMs: 5000, what: 'the router to reach the sidecar' });

    const payment = await web.request('/payment', { method: 'POST', body: '{"amount": 10}', headers: { 'content-type': 'application/json' } });
    expect(payment.status).toBe(200);
    expect(payment.body).toMatchObject({ service: 'monolith', path: '/payment', method: 'POST', bodyLength: 14 });
    expect((await web.request('/payment/42?receipt=1')).body).toMatchObject({ service: 'monolith', url: '/payment/42?receipt=1' });

    const rate = await web.request('/currency/GBP?amount=10');
    expect(rate.status).toBe(200);
    expect(rate.body).toMatchObject({ service: 'currency', path: '/currency/GBP', url: '/currency/GBP?amount=10', method: 'GET' });

    // The legacy path is rewritten for the new service.
    expect((await web.request('/api/currency/EUR')).body).toMatchObject({ service: 'currency', path: '/currency/EUR' });

    // Without a resolver every instance of currency serves it.
    const versions = tally(await burst(web, '/currency/USD', 40, 4)).byVersion;
    expect(Object.keys(versions).sort()).toEqual(['v1', 'v2']);
  });
});

describe('canary release of currency v2 (service-resolver + service-splitter)', () => {
  it('sends 10% ± 3% of 2000 requests to v2 with a 90/10 split', async () => {
    await mesh.write(router(CURRENCY));
    await mesh.write(RESOLVER);
    await untilServedBy('v1', 30);
    await mesh.write(splitter(90, 10));
    await waitFor(async () => (await web.request('/currency/GBP')).body?.version === 'v2', { timeoutMs: 5000, what: 'the splitter to send a first request to v2' });

    const { byVersion, failures } = tally(await burst(web, '/currency/GBP', 2000, 8));
    expect(failures).toEqual([]);
    expect(byVersion.v1 + byVersion.v2).toBe(2000);
    expect(byVersion.v2 / 2000).toBeGreaterThanOrEqual(0.07);
    expect(byVersion.v2 / 2000).toBeLessThanOrEqual(0.13);
    console.info(`90/10 split: ${byVersion.v2} of 2000 requests (${(byVersion.v2 / 20).toFixed(1)}%) went to v2`);
  });

  it('sends testers (header group: dev) to v2 every time, everyone else through the split', async () => {
    await mesh.write(RESOLVER);
    await mesh.write(splitter(90, 10));
    await mesh.write(router(TESTERS_TO_V2, CURRENCY));
    await untilServedBy('v2', 20, { group: 'dev' });

    const testers = tally(await burst(web, '/currency/GBP', 200, 4, { group: 'dev' }));
    expect(testers.failures).toEqual([]);
    expect(testers.byVersion).toEqual({ v2: 200 });
    const others = tally(await burst(web, '/currency/GBP', 200, 4, { group: 'ops' }));
    expect(others.failures).toEqual([]);
    expect(others.byVersion.v1).toBeGreaterThan(150);
  });

  it('widens the canary to 50/50 within a second of `weft config write`, failing no request in flight', async () => {
    await mesh.write(RESOLVER);
    await mesh.write(splitter(90, 10));
    await waitFor(async () => (await web.request('/currency/GBP')).body?.version === 'v2', { timeoutMs: 5000, what: 'the 90/10 split' });

    const load = startLoad(web, '/currency/GBP', 4);
    let startedWrite: number;
    let written: number;
    let appliedAfterMs: number;
    try {
      await waitFor(() => load.samples.length >= 100, { what: 'requests under the 90/10 split' });
      startedWrite = Date.now();
      ({ writtenAt: written, appliedAfterMs } = await mesh.writeAndWait('web', splitter(50, 50)));
      await waitFor(() => load.samples.filter((s) => s.start >= written + 1000).length >= 200, { timeoutMs: 15_000, what: '200 requests sent a second after the write' });
    } finally {
      await load.stop();
    }
    const samples = await load.stop();

    expect(samples.filter((s) => s.status !== 200)).toEqual([]);
    const old = samples.filter((s) => s.start < startedWrite);
    const after = samples.filter((s) => s.start >= written + 1000);
    expect(old.length).toBeGreaterThan(50);
    expect(after.length).toBeGreaterThan(150);
    const share = (list: typeof samples) => list.filter((s) => s.version === 'v2').length / list.length;
    expect(share(old)).toBeLessThan(0.25);
    expect(share(after)).toBeGreaterThan(0.35);
    expect(share(after)).toBeLessThan(0.65);
    console.info(`50/50 split applied by web's sidecar ${appliedAfterMs} ms after \`weft config write\` returned (${written - startedWrite} ms for the CLI); ${samples.length} requests under load, none failed`);
  });
});
