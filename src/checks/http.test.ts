import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../../test/e2e/harness.js';
import { CheckRunner, parseCheckDefinition, probeCheck, type CheckUpdate } from './index.js';

const servers: Server[] = [];
const runners: CheckRunner[] = [];
afterEach(async () => {
  runners.splice(0).forEach((r) => r.stop());
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, seen };
}

const httpCheck = (raw: Record<string, unknown>) => parseCheckDefinition({ Name: 'web', Interval: '10s', ...raw });
const probe = (raw: Record<string, unknown>) => probeCheck(httpCheck(raw), { signal: new AbortController().signal });

describe('HTTP check', () => {
  it('is passing on 2xx with Consul-style output and sends Consul default headers', async () => {
    const { base, seen } = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('all good'));
    const r = await probe({ HTTP: `${base}/health` });
    expect(r).toEqual({ status: 'passing', output: `HTTP GET ${base}/health: 200 OK Output: all good` });
    expect(seen[0].method).toBe('GET');
    expect(seen[0].headers['user-agent']).toBe('Consul Health Check');
    expect(seen[0].headers['accept']).toBe('text/plain, text/*, */*');
  });

  it('is warning on 429 and critical on any other status', async () => {
    let code = 429;
    const { base } = await serve((_req, res) => res.writeHead(code).end('busy'));
    expect(await probe({ HTTP: base })).toEqual({ status: 'warning', output: `HTTP GET ${base}: 429 Too Many Requests Output: busy` });
    code = 503;
    expect((await probe({ HTTP: base })).status).toBe('critical');
    code = 404;
    expect((await probe({ HTTP: base })).output).toBe(`HTTP GET ${base}: 404 Not Found Output: busy`);
  });

  it('sends the configured method, headers and body', async () => {
    const { base, seen } = await serve((_req, res) => res.end());
    const r = await probe({
      http: `${base}/deep`,
      method: 'POST',
      header: { 'X-Probe': ['one', 'two'], 'User-Agent': ['my-agent'], Host: ['app.internal'] },
      body: '{"ping":true}',
    });
    expect(r.status).toBe('passing');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/deep', body: '{"ping":true}' });
    expect(seen[0].headers['x-probe']).toBe('one, two');
    expect(seen[0].headers['user-agent']).toBe('my-agent');
    expect(seen[0].headers.host).toBe('app.internal');
  });

  it('follows redirects unless disable_redirects is set', async () => {
    const { base, seen } = await serve((req, res) => {
      if (req.url === '/old') res.writeHead(302, { location: '/new' }).end();
      else res.writeHead(200).end('moved here');
    });
    expect(await probe({ HTTP: `${base}/old` })).toEqual({ status: 'passing', output: `HTTP GET ${base}/old: 200 OK Output: moved here` });
    expect(seen.map((s) => s.url)).toEqual(['/old', '/new']);
    const r = await probe({ HTTP: `${base}/old`, disable_redirects: true });
    expect(r.status).toBe('critical');
    expect(r.output).toContain('302 Found');
  });

  it('gives up after 10 redirects', async () => {
    const { base } = await serve((_req, res) => res.writeHead(307, { location: '/loop' }).end());
    const r = await probe({ HTTP: `${base}/loop` });
    expect(r.status).toBe('critical');
    expect(r.output).toMatch(/stopped after 10 redirects$/);
  });

  it('keeps only the last OutputMaxSize bytes of the body', async () => {
    const { base } = await serve((_req, res) => res.end('x'.repeat(5000) + 'TAIL'));
    const r = await probe({ HTTP: base, OutputMaxSize: 10 });
    expect(r.output).toBe(`HTTP GET ${base}: 200 OK Output: xxxxxxTAIL`);
  });

  it('is critical when nothing listens', async () => {
    const port = await freePort();
    const r = await probe({ HTTP: `http://127.0.0.1:${port}/` });
    expect(r).toEqual({ status: 'critical', output: `Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused` });
  });

  it('is critical when the server does not answer within the timeout', async () => {
    const { base } = await serve(() => {}); // never answers
    const started = Date.now();
    const r = await probe({ HTTP: base, Timeout: '200ms' });
    expect(r.status).toBe('critical');
    expect(r.output).toBe(`Get "${base}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('runs on its interval and reports only changes', async () => {
    let code = 200;
    const { base, seen } = await serve((_req, res) => res.writeHead(code).end('same'));
    const updates: CheckUpdate[] = [];
    const runner = new CheckRunner({ ...httpCheck({ HTTP: base }), intervalMs: 30 }, { onUpdate: (u) => updates.push(u), scriptChecksEnabled: false });
    runners.push(runner);
    runner.start();
    await waitFor(() => seen.length >= 4, { what: 'four runs' });
    expect(updates).toEqual([{ id: 'web', status: 'passing', output: `HTTP GET ${base}: 200 OK Output: same` }]);
    code = 500;
    await waitFor(() => updates.length === 2, { what: 'critical update' });
    expect(updates[1].status).toBe('critical');
    expect(runner.state.status).toBe('critical');
  });
});
