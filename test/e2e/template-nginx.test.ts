import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, removeDir, startAgent, stopAllAgents, tempDir, type TestAgent, waitFor } from './harness.js';
import { startTemplate, stopAllTemplates, type TemplateProcess } from './template-harness.js';

/**
 * The smart NGINX router of the seed talk (003), with real NGINX: examples/smart-nginx's
 * template and config, unchanged, render NGINX's upstreams from the services tagged
 * "velocity" and reload it; instances coming, failing and a KV routing switch all reach
 * NGINX's routing within seconds.
 */
const EXAMPLE = fileURLToPath(new URL('../../examples/smart-nginx/', import.meta.url));
const PREFER_LOCAL = 'config/global/router/prefer-local-routing';

interface Backend {
  id: string;
  port: number;
  server: Server;
  healthy: boolean;
}

const backends: Backend[] = [];
let agent: TestAgent;
let dir: string;
let routerPort: number;
let nginx: ChildProcess | undefined;
let nginxLog = '';
let weft: TemplateProcess;

/** A counting service: `GET /` answers {"count":N,"hostname":id}; `/health` is 200 or 500 at will. */
async function startBackend(id: string): Promise<Backend> {
  let count = 0;
  const b: Backend = { id, port: 0, server: createServer(), healthy: true };
  b.server.on('request', (req, res) => {
    if (req.url === '/health') {
      res.writeHead(b.healthy ? 200 : 500).end(b.healthy ? 'ok' : 'sick');
      return;
    }
    count += 1;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ count, hostname: id }));
  });
  await new Promise<void>((resolve) => b.server.listen(0, '127.0.0.1', resolve));
  b.port = (b.server.address() as { port: number }).port;
  backends.push(b);
  return b;
}

/** Registers a backend with the local agent, with the talk's HTTP check (every second). */
function registerLocal(b: Backend): Promise<unknown> {
  return agent.client.put('/v1/agent/service/register', {
    body: {
      ID: b.id,
      Name: 'counting',
      Tags: ['velocity'],
      Address: '127.0.0.1',
      Port: b.port,
      Check: { CheckID: `${b.id}-check`, HTTP: `http://127.0.0.1:${b.port}/health`, Method: 'GET', Interval: '1s', Timeout: '1s' },
    },
  });
}

/** One request through NGINX, on a fresh connection: which backend answered. */
function viaRouter(): Promise<string> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port: routerPort, path: '/service/counting/', agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(`status ${res.statusCode}`);
        resolve((JSON.parse(body) as { hostname: string }).hostname);
      });
    });
    req.on('error', (err) => resolve(`error ${(err as NodeJS.ErrnoException).code}`));
  });
}

async function answers(n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await viaRouter());
  return out;
}

const rendered = () => readFileSync(join(dir, 'run/nginx-smart-router.conf'), 'utf8');

function startNginx(): void {
  const run = join(dir, 'run');
  nginx = spawn('nginx', ['-p', run, '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${run}/nginx.pid; error_log stderr;`], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stdout!.on('data', (c) => (nginxLog += c));
  nginx.stderr!.on('data', (c) => (nginxLog += c));
}

beforeAll(async () => {
  agent = await startAgent();
  dir = tempDir('weft-smart-nginx-');
  for (const f of ['nginx.conf.tpl', 'nginx-smart-router.hcl', 'nginx.conf']) copyFileSync(join(EXAMPLE, f), join(dir, f));
  mkdirSync(join(dir, 'run'));
  routerPort = await freePort();
});

afterAll(async () => {
  await stopAllTemplates();
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx!.once('exit', r));
    nginx.kill('SIGTERM');
    await exited;
  }
  await Promise.all(backends.map((b) => new Promise((r) => b.server.close(r))));
  await stopAllAgents();
  removeDir(dir);
});

describe('the smart NGINX router (seed talk 003)', () => {
  it('routes through NGINX to the healthy instances of services tagged velocity, following every change', async () => {
    const a = await startBackend('counting-a');
    await registerLocal(a);

    // The example's config as it is; only the quiescence is shortened (flags beat the file).
    weft = startTemplate(['-config', 'nginx-smart-router.hcl', '-http-addr', agent.address, '-wait', '250ms:1s'], { cwd: dir, env: { ROUTER_PORT: String(routerPort) } });
    await waitFor(() => rendered().includes(`server 127.0.0.1:${a.port};`), { what: 'the first render with instance a', timeoutMs: 15_000 });

    // NGINX starts on the rendered file (the talk runs it as a service; here a child of the test).
    startNginx();
    await waitFor(async () => (await viaRouter()) === 'counting-a', { what: `NGINX to route to a\n${nginxLog}` });

    // Scale out: a second instance is registered; NGINX balances over both within 5 seconds.
    const b = await startBackend('counting-b');
    const registered = Date.now();
    await registerLocal(b);
    await waitFor(
      async () => {
        const seen = new Set(await answers(4));
        return seen.has('counting-a') && seen.has('counting-b') && seen.size === 2;
      },
      { what: `NGINX to balance over a and b\n${weft.stderr}\n${nginxLog}`, timeoutMs: 5_000 },
    );
    const scaleOutMs = Date.now() - registered;
    expect(scaleOutMs).toBeLessThan(5_000);
    expect(weft.stderr).toContain('executing command "nginx -p $PWD/run');
    console.log(`scale-out reached NGINX in ${scaleOutMs} ms`);

    // b's check fails (b itself keeps answering): it leaves the upstream and gets no more traffic.
    b.healthy = false;
    const failed = Date.now();
    await waitFor(() => !rendered().includes(`:${b.port};`), { what: 'b to leave the rendered upstream', timeoutMs: 10_000 });
    await waitFor(async () => (await answers(6)).every((id) => id === 'counting-a'), { what: 'NGINX to stop routing to b', timeoutMs: 5_000 });
    console.log(`failed check left NGINX in ${Date.now() - failed} ms`);

    // An instance on another node joins; then the KV switch keeps traffic on this node's instance.
    const remote = await startBackend('counting-remote');
    await agent.client.put('/v1/catalog/register', {
      body: {
        Node: 'velocity-badger',
        Address: '127.0.0.1',
        Service: { ID: 'counting-remote', Service: 'counting', Tags: ['velocity'], Address: '127.0.0.1', Port: remote.port },
        Check: { Node: 'velocity-badger', CheckID: 'service:counting-remote', Name: 'remote check', Status: 'passing', ServiceID: 'counting-remote' },
      },
    });
    await waitFor(async () => new Set(await answers(4)).has('counting-remote'), { what: 'NGINX to route to the remote instance', timeoutMs: 5_000 });

    await agent.client.put(`/v1/kv/${PREFER_LOCAL}`, { rawBody: '1' });
    await waitFor(() => rendered().includes(`server 127.0.0.1:${remote.port} backup;`), { what: 'the remote instance to become a backup', timeoutMs: 5_000 });
    await waitFor(async () => (await answers(6)).every((id) => id === 'counting-a'), { what: 'prefer-local routing', timeoutMs: 5_000 });

    await agent.client.put(`/v1/kv/${PREFER_LOCAL}`, { rawBody: '0' });
    await waitFor(async () => new Set(await answers(4)).has('counting-remote'), { what: 'routing to every node again', timeoutMs: 5_000 });
    expect(rendered()).not.toContain('backup');

    expect(weft.running).toBe(true);
    expect(await weft.stop()).toBe(0);
  });
});
