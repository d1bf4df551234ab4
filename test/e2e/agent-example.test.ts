import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/index.js';
import { freePort, removeDir, runWeft, startAgent, stopAllAgents, tempDir, waitFor } from './harness.js';

/**
 * examples/counting-dashboard, as its README runs it: the two services, then
 * `weft agent -dev -config-dir ./config`. The JSON files are the example's own, with the
 * talk's fixed ports (9001, 9002) swapped for free ones so the test can run anywhere.
 */
const EXAMPLE = fileURLToPath(new URL('../../examples/counting-dashboard/', import.meta.url));
const apps: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const app of apps) app.kill('SIGKILL');
  await stopAllAgents();
  dirs.forEach(removeDir);
});

function startApp(file: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [join(EXAMPLE, file)], { env: { ...process.env, ...env }, stdio: 'ignore' });
  apps.push(child);
  return child;
}

describe('the counting and dashboard example', () => {
  it('registers both services from the JSON files, checks them, and answers curl and the CLI', async () => {
    const counting = await freePort();
    const dashboard = await freePort();
    const config = tempDir('weft-example-');
    dirs.push(config);
    for (const [file, from, to] of [
      ['counting.json', '9001', String(counting)],
      ['dashboard.json', '9002', String(dashboard)],
    ]) {
      writeFileSync(join(config, file), readFileSync(join(EXAMPLE, 'config', file), 'utf8').replaceAll(from, to));
    }
    const countingApp = startApp('counting.js', { PORT: String(counting) });
    startApp('dashboard.js', { PORT: String(dashboard), COUNTING_SERVICE_URL: `http://localhost:${counting}/` });
    const agent = await startAgent({ args: ['-dev', '-config-dir', config] });

    const passing = async (name: string) => (await agent.client.get<unknown[]>(`/v1/health/service/${name}`, { query: { passing: true } })).body.length;
    await waitFor(async () => (await passing('counting')) === 1 && (await passing('dashboard')) === 1, { what: 'both checks to pass' });

    const entries = (await agent.client.get<{ ServiceName: string; ServicePort: number; ServiceTags: string[] }[]>('/v1/catalog/service/counting')).body;
    expect(entries.map((e) => [e.ServiceName, e.ServicePort, e.ServiceTags])).toEqual([['counting', counting, ['velocity-ant', 'velocity']]]);

    const cli = await runWeft(['catalog', 'services', '-tags', `-http-addr=${agent.address}`]);
    expect(cli.code).toBe(0);
    const rows = cli.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
    expect(rows).toEqual([['consul'], ['counting', 'velocity,velocity-ant'], ['dashboard', 'velocity-ant']]);

    const app = new ApiClient({ address: `http://127.0.0.1:${dashboard}` });
    try {
      expect((await app.get<{ ok: boolean; count: number }>('/api/count')).body).toMatchObject({ ok: true, count: 1 });
    } finally {
      app.close();
    }

    // The counting service stops: its check turns critical within a couple of intervals.
    countingApp.kill('SIGKILL');
    await waitFor(async () => (await passing('counting')) === 0, { what: 'counting to fail its check' });
    expect(await passing('dashboard')).toBe(1);
  });
});
