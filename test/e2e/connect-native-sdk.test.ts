import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, removeDir, runWeft, startAgent, stopAllAgents, tempDir, waitFor, type TestAgent } from './harness.js';
import { startProxy, stopConnectProcesses, waitForMeshInstances } from './connect-harness.js';

/**
 * examples/native-sdk: a native HTTPS service (greeter) and a serverless-style function that
 * both use the SDK instead of a sidecar; the function also reaches a service behind a sidecar.
 */
const EXAMPLE = fileURLToPath(new URL('../../examples/native-sdk/', import.meta.url));
const COUNTING = fileURLToPath(new URL('../../examples/counting-dashboard/counting.js', import.meta.url));
const run = promisify(execFile);
const apps: ChildProcess[] = [];
let dir: string;
let agent: TestAgent;
let greeterPort: number;

async function invoke(event: Record<string, string>): Promise<{ statusCode: number; body: string }> {
  const { stdout } = await run(process.execPath, [join(EXAMPLE, 'function.js'), JSON.stringify(event)], { env: { ...process.env, WEFT_HTTP_ADDR: `http://${agent.address}` }, timeout: 20_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

beforeAll(async () => {
  dir = tempDir('weft-native-sdk-');
  greeterPort = await freePort();
  const [counting, sidecar] = [await freePort(), await freePort()];
  writeFileSync(join(dir, 'greeter.hcl'), readFileSync(join(EXAMPLE, 'config/greeter.hcl'), 'utf8').replaceAll('9443', String(greeterPort)));
  writeFileSync(join(dir, 'counting.json'), JSON.stringify({ service: { name: 'counting', port: counting, connect: { sidecar_service: { port: sidecar, check: { tcp: `127.0.0.1:${sidecar}`, interval: '1s' } } } } }));
  agent = await startAgent({ args: ['-dev', '-config-dir', dir] });
  const env = { ...process.env, WEFT_HTTP_ADDR: `http://${agent.address}` };
  apps.push(spawn(process.execPath, [join(EXAMPLE, 'greeter.js')], { env: { ...env, PORT: String(greeterPort) }, stdio: 'ignore' }));
  apps.push(spawn(process.execPath, [COUNTING], { env: { ...env, PORT: String(counting) }, stdio: 'ignore' }));
  await startProxy(agent, ['-sidecar-for', 'counting']);
  await waitForMeshInstances(agent, 'greeter');
  await waitForMeshInstances(agent, 'counting');
});

afterAll(async () => {
  for (const app of apps) app.kill('SIGKILL');
  await stopConnectProcesses();
  await stopAllAgents();
  removeDir(dir);
});

describe('the native SDK example', () => {
  it('calls the native greeter over mutual TLS, which sees the caller as lambda', async () => {
    const r = await invoke({ name: 'weft' });
    expect(r.statusCode).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.greeting).toBe('hello, weft');
    expect(body.caller).toMatch(/URI:spiffe:\/\/[^/]+\.consul\/ns\/default\/dc\/dc1\/svc\/lambda/);
  });

  it('reaches a service behind a sidecar the same way', async () => {
    const r = await invoke({ service: 'counting', path: '/' });
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body).count).toBeGreaterThanOrEqual(1);
  });

  it('is refused by the native service when an intention denies it, and by anyone without a mesh certificate', async () => {
    await runWeft(['intention', 'create', '-http-addr', agent.address, '-deny', 'lambda', 'greeter']);
    await waitFor(async () => (await invoke({ name: 'x' })).statusCode === 502, { timeoutMs: 10_000, what: 'the native service to refuse lambda' });
    expect((await invoke({ service: 'counting', path: '/' })).statusCode).toBe(200);
    await runWeft(['intention', 'delete', '-http-addr', agent.address, 'lambda', 'greeter']);
    await waitFor(async () => (await invoke({ name: 'y' })).statusCode === 200, { timeoutMs: 10_000, what: 'lambda to be let in again' });

    const got = await new Promise<string>((resolve) => {
      let data = '';
      const s = tlsConnect({ port: greeterPort, host: '127.0.0.1', rejectUnauthorized: false }, () => s.write('GET / HTTP/1.0\r\n\r\n'));
      s.on('data', (d) => (data += d));
      s.on('error', () => undefined);
      s.on('close', () => resolve(data));
    });
    expect(got).toBe('');
  });
});
