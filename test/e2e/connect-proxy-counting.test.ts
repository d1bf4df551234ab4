import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/index.js';
import { freePort, removeDir, runWeft, startAgent, stopAllAgents, tempDir, waitFor } from './harness.js';
import { startProxy, stopConnectProcesses, waitForMeshInstances } from './connect-harness.js';

/**
 * examples/counting-dashboard/connect, as its README runs it: the seed talk's dashboard reaching
 * counting through two sidecars declared with `connect { sidecar_service {} }`. The example's
 * fixed ports (9001-9003, and the sidecars' from 21000 on) become free ones.
 */
const EXAMPLE = fileURLToPath(new URL('../../examples/counting-dashboard/', import.meta.url));
const apps: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const app of apps) app.kill('SIGKILL');
  await stopConnectProcesses();
  await stopAllAgents();
  dirs.forEach(removeDir);
});

function startApp(file: string, env: NodeJS.ProcessEnv): void {
  apps.push(spawn(process.execPath, [join(EXAMPLE, file)], { env: { ...process.env, ...env }, stdio: 'ignore' }));
}

/** One request on a new connection (no keep-alive), as curl makes it. */
function fetchFresh(port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', (err) => resolve(`error: ${err.message}`));
  });
}

describe('counting and dashboard through Connect sidecars', () => {
  it('connects the dashboard to counting over mTLS, and an intention cuts new connections', async () => {
    const [counting, dashboard, upstream, countingSidecar, dashboardSidecar] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const config = tempDir('weft-example-connect-');
    dirs.push(config);
    for (const [file, swaps] of [
      ['counting.hcl', [['9001', counting], ['sidecar_service {}', `sidecar_service {\n      port = ${countingSidecar}\n    }`]]],
      ['dashboard.hcl', [['9002', dashboard], ['9003', upstream], ['sidecar_service {', `sidecar_service {\n      port = ${dashboardSidecar}`]]],
    ] as const) {
      let text = readFileSync(join(EXAMPLE, 'connect/config', file), 'utf8');
      for (const [from, to] of swaps) text = text.replaceAll(from, String(to));
      writeFileSync(join(config, file), text);
    }
    startApp('counting.js', { PORT: String(counting) });
    startApp('dashboard.js', { PORT: String(dashboard), COUNTING_SERVICE_URL: `http://localhost:${upstream}` });
    const agent = await startAgent({ args: ['-dev', '-config-dir', config] });
    const sidecarFor = async (id: string) => startProxy(agent, ['-sidecar-for', id]);
    await sidecarFor('counting');
    await sidecarFor('dashboard');
    // The sidecars' default checks (TCP every 10 s, alias of the service) have to run once.
    await waitForMeshInstances(agent, 'counting');

    const app = new ApiClient({ address: `http://127.0.0.1:${dashboard}` });
    try {
      const first = await waitFor(async () => {
        const r = await app.get<{ ok: boolean; count: number }>('/api/count', { accept: [502] });
        return r.body.ok ? r.body : null;
      }, { what: 'the dashboard to reach counting through the sidecars' });
      expect(first!.count).toBeGreaterThanOrEqual(1);
      expect(await fetchFresh(dashboard, '/')).toMatch(/<h1>\d+<\/h1>/);

      // The talk's last exercise: deny all access. Intentions apply to new connections.
      expect((await runWeft(['intention', 'create', '-http-addr', agent.address, '-deny', '*', '*'])).stdout.trim()).toBe('Created: * => * (deny)');
      await waitFor(async () => (await fetchFresh(upstream, '/')).startsWith('error:'), { timeoutMs: 2000, what: 'a new connection to counting to be refused' });

      await runWeft(['intention', 'create', '-http-addr', agent.address, '-allow', 'dashboard', 'counting']);
      await waitFor(async () => JSON.parse(await fetchFresh(upstream, '/')).count > 0, { timeoutMs: 2000, what: 'counting to answer again' });
    } finally {
      app.close();
    }
  });
});
