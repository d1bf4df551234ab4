import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUiHandler } from './index.js';

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function fetchRaw(port: number, path: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function serve(dir: string): Promise<{ server: Server; port: number }> {
  const server = createServer(createUiHandler({ dir }));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })));
}

describe('UI static server', () => {
  const root = mkdtempSync(join(tmpdir(), 'weft-ui-'));
  const bundle = join(root, 'ui');
  const script = `console.log(${JSON.stringify('x'.repeat(2000))});`;
  let port = 0;
  let server: Server;

  beforeAll(async () => {
    mkdirSync(join(bundle, 'assets'), { recursive: true });
    writeFileSync(join(bundle, 'index.html'), '<!doctype html><title>Weft</title><script type="module" src="/ui/assets/app-1.js"></script>');
    writeFileSync(join(bundle, 'assets', 'app-1.js'), script);
    writeFileSync(join(bundle, 'assets', 'app-1.css'), 'body{}');
    writeFileSync(join(bundle, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(bundle, '.secret'), 'do not serve');
    writeFileSync(join(root, 'outside.txt'), 'outside the bundle');
    ({ server, port } = await serve(bundle));
  });
  afterAll(() => {
    server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at /ui/ with a strict policy and no caching', async () => {
    const r = await fetchRaw(port, '/ui/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.body.toString()).toContain('<title>Weft</title>');
  });

  it('serves hashed assets with their type, cached for a year', async () => {
    const js = await fetchRaw(port, '/ui/assets/app-1.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.body.toString()).toBe(script);
    expect((await fetchRaw(port, '/ui/assets/app-1.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await fetchRaw(port, '/ui/favicon.svg')).headers['content-type']).toBe('image/svg+xml');
  });

  it('gzips text for clients that accept it and answers 304 to a matching ETag', async () => {
    const gz = await fetchRaw(port, '/ui/assets/app-1.js', { headers: { 'Accept-Encoding': 'gzip, deflate' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);
    const again = await fetchRaw(port, '/ui/assets/app-1.js', { headers: { 'If-None-Match': String(gz.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('answers client-side routes with index.html, missing assets with 404', async () => {
    for (const path of ['/ui/dc1/services', '/ui/dc1/services/web/topology', '/ui/dc1/kv/app/config.json/edit', '/ui/dc1/kv/.hidden/edit']) {
      const r = await fetchRaw(port, path);
      expect(r.status, path).toBe(200);
      expect(r.body.toString(), path).toContain('<title>Weft</title>');
    }
    expect((await fetchRaw(port, '/ui/assets/gone-2.js')).status).toBe(404);
    expect((await fetchRaw(port, '/ui/robots.txt')).status).toBe(404);
  });

  it('redirects / and /ui to /ui/', async () => {
    for (const path of ['/', '/ui']) {
      const r = await fetchRaw(port, path);
      expect(r.status).toBe(301);
      expect(r.headers.location).toBe('/ui/');
    }
  });

  it('never serves files outside the bundle or dot-files', async () => {
    for (const path of ['/ui/../outside.txt', '/ui/%2e%2e/outside.txt', '/ui/assets/..%2f..%2foutside.txt']) {
      const r = await fetchRaw(port, path);
      expect(r.status, path).toBe(400);
      expect(r.body.toString()).not.toContain('outside the bundle');
    }
    expect((await fetchRaw(port, '/ui/.secret')).status).toBe(404);
    expect((await fetchRaw(port, '/etc/passwd')).status).toBe(404);
  });

  it('accepts only GET and HEAD', async () => {
    const post = await fetchRaw(port, '/ui/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const head = await fetchRaw(port, '/ui/assets/app-1.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(script.length));
    expect(head.body.length).toBe(0);
  });

  it('says how to build the bundle when it is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'weft-ui-empty-'));
    const other = await serve(empty);
    try {
      const r = await fetchRaw(other.port, '/ui/dc1/services');
      expect(r.status).toBe(404);
      expect(r.body.toString()).toContain('npm run build');
    } finally {
      other.server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
