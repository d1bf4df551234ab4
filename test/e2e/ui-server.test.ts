import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { startAgent, stopAllAgents } from './harness.js';

/** The built bundle served by a real agent: on with -dev, off with -ui=false. */
afterAll(stopAllAgents);

function get(port: number, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the web UI on the HTTP port', () => {
  it('is served from the built bundle by a -dev agent, assets included, with / redirecting to it', async () => {
    const agent = await startAgent();
    const root = await get(agent.httpPort, '/');
    expect(root.status).toBe(301);
    expect(root.headers.location).toBe('/ui/');
    const index = await get(agent.httpPort, '/ui/dc1/services/web/instances');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    const scripts = [...index.body.matchAll(/(?:src|href)="(\/ui\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const asset of scripts) {
      const r = await get(agent.httpPort, asset);
      expect(r.status, asset).toBe(200);
      expect(r.headers['cache-control'], asset).toBe('public, max-age=31536000, immutable');
      expect(r.headers['content-type'], asset).toMatch(asset.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      // Offline: the bundle loads nothing from other hosts.
      expect(r.body, asset).not.toMatch(/https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\//i);
    }
    // The API is untouched: unknown /v1/ paths stay API 404s.
    expect((await get(agent.httpPort, '/v1/nope')).body).toBe('404 page not found');
  });

  it('is not served when the UI is turned off', async () => {
    const agent = await startAgent({ args: ['-dev', '-ui=false'] });
    expect((await get(agent.httpPort, '/ui/')).status).toBe(404);
    expect((await get(agent.httpPort, '/v1/status/leader')).status).toBe(200);
  });
});
