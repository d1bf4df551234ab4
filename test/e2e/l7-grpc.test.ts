import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './harness.js';
import { allowOnlyIntention, route, serviceRouter, versionResolver } from './l7-entries.js';
import { L7Mesh } from './l7-harness.js';

/**
 * gRPC through the sidecars: a @grpc/grpc-js client at web's upstream port (plaintext h2c, as
 * an app talks to its local sidecar) reaches demo.Currency on currency v1 or v2 as a router on
 * the method path says, and non-OK statuses come back with their message and trailers.
 */
let mesh: L7Mesh;
let client: grpc.Client;

interface CurrencyAnswer {
  service: string;
  version: string;
  method: string;
  amount?: number;
  rates?: Record<string, number>;
  metadata: Record<string, string>;
}

const encode = (v: unknown) => Buffer.from(JSON.stringify(v));
const decode = (b: Buffer) => JSON.parse(b.toString()) as CurrencyAnswer;

function call(method: 'Convert' | 'Rates' | 'Forecast', request: object, metadata: Record<string, string> = {}): Promise<CurrencyAnswer> {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(`/demo.Currency/${method}`, encode, decode, request, md, { deadline: Date.now() + 5000 }, (err, answer) => (err ? reject(err) : resolve(answer!))),
  );
}

async function callError(method: 'Convert' | 'Forecast', request: object): Promise<grpc.ServiceError> {
  try {
    await call(method, request);
  } catch (err) {
    return err as grpc.ServiceError;
  }
  throw new Error(`${method} succeeded`);
}

beforeAll(async () => {
  mesh = await L7Mesh.start();
  await mesh.put(...['web', 'currency'].map((Name) => ({ Kind: 'service-defaults', Name, Protocol: 'grpc' })));
  await mesh.add(
    { id: 'currency-v1', service: 'currency', version: 'v1', app: { grpc: true } },
    { id: 'currency-v2', service: 'currency', version: 'v2', app: { grpc: true } },
    { id: 'web', service: 'web', app: null, upstreams: ['currency'] },
  );
  await mesh.write(versionResolver('currency'));
  await mesh.write(
    serviceRouter(
      'currency',
      route(['PathPrefix = "/demo.Currency/Rates"'], ['ServiceSubset = "v2"']),
      route(['Header = [{ Name = "x-canary", Exact = "true" }]'], ['ServiceSubset = "v2"']),
    ),
  );
  client = new grpc.Client(`127.0.0.1:${mesh.instance('web').upstreamPorts.currency}`, grpc.credentials.createInsecure());
  await waitFor(async () => (await call('Rates', {})).version === 'v2', { timeoutMs: 10_000, what: 'Rates to reach v2 through the sidecars' });
});

afterAll(async () => {
  client?.close();
  await mesh?.stop();
});

describe('gRPC through the sidecars', () => {
  it('routes each unary call by its method path: Rates to v2, Convert to v1', async () => {
    for (let i = 0; i < 10; i++) {
      const rates = await call('Rates', {});
      expect(rates).toMatchObject({ service: 'currency', version: 'v2', method: 'Rates', rates: { EUR: 1, GBP: 0.86 } });
      const converted = await call('Convert', { amount: 100, from: 'EUR', to: 'GBP' });
      expect(converted).toMatchObject({ service: 'currency', version: 'v1', method: 'Convert', amount: 86 });
    }
  });

  it('routes on request metadata and carries it to the app', async () => {
    const canary = await call('Convert', { amount: 10, from: 'EUR', to: 'USD' }, { 'x-canary': 'true', 'x-request-tag': 'checkout-42' });
    expect(canary).toMatchObject({ version: 'v2', method: 'Convert', amount: 10.8 });
    expect(canary.metadata['x-request-tag']).toBe('checkout-42');
    expect((await call('Convert', { amount: 10, from: 'EUR', to: 'USD' }, { 'x-canary': 'false' })).version).toBe('v1');
  });

  it("passes the app's non-OK status, message and trailers through unchanged", async () => {
    const err = await callError('Convert', { amount: 1, from: 'EUR', to: 'XXX' });
    expect({ code: err.code, details: err.details, trailer: err.metadata.get('x-currency-error') }).toEqual({
      code: grpc.status.INVALID_ARGUMENT,
      details: 'unknown currency "XXX"',
      trailer: ['unknown-currency'],
    });

    // A method the app does not serve: the app's own UNIMPLEMENTED, not a proxy error.
    const unknown = await callError('Forecast', {});
    expect({ code: unknown.code, details: unknown.details }).toEqual({ code: grpc.status.UNIMPLEMENTED, details: expect.stringContaining('Forecast') });

    // The channel stays usable after errors.
    expect((await call('Convert', { amount: 2, from: 'EUR', to: 'EUR' })).amount).toBe(2);
  });

  it('answers a call an L7 intention denies with PERMISSION_DENIED and the reason', async () => {
    await mesh.write(allowOnlyIntention('currency', 'web', 'PathExact = "/demo.Currency/Rates"'));
    try {
      await waitFor(() => call('Convert', { amount: 1, from: 'EUR', to: 'GBP' }).then(() => false, () => true), { timeoutMs: 2000, what: 'Convert to be refused' });
      const denied = await callError('Convert', { amount: 1, from: 'EUR', to: 'GBP' });
      expect({ code: denied.code, details: denied.details }).toEqual({ code: grpc.status.PERMISSION_DENIED, details: expect.stringMatching(/denied/i) });
      expect((await call('Rates', {})).version).toBe('v2');
    } finally {
      await mesh.deleteEntry('service-intentions', 'currency');
    }
  });
});
