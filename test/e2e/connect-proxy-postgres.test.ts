import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, readdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, removeDir, runWeft, startAgent, stopAllAgents, tempDir, waitFor, type TestAgent } from './harness.js';
import { startProxy, stopConnectProcesses, waitForMeshInstances } from './connect-harness.js';

/**
 * The seed demo against Debian's PostgreSQL: a throwaway cluster behind its sidecar, reached
 * with `weft connect proxy -service web -upstream postgresql:PORT` and `psql`, with the
 * demo's intentions deciding whether it gets through.
 */
const run = promisify(execFile);
const PG_BIN = join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().pop() ?? '', 'bin');
let dir: string;
let postgres: ChildProcess;
let agent: TestAgent;
let upstreamPort: number;

/** PostgreSQL refuses to run as root; the tests do, so its processes run as the postgres user. */
async function postgresUser(): Promise<{ uid: number; gid: number } | Record<string, never>> {
  if (userInfo().uid !== 0) return {};
  return { uid: Number((await run('id', ['-u', 'postgres'])).stdout), gid: Number((await run('id', ['-g', 'postgres'])).stdout) };
}

async function psql(port: number, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('psql', ['-h', '127.0.0.1', '-p', String(port), '-X', '-A', '-t', ...args], { timeout: 15_000, env: { ...process.env, PGCONNECT_TIMEOUT: '5' } });
    return { code: 0, stdout: r.stdout.trim(), stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  dir = tempDir('weft-connect-pg-');
  const user = await postgresUser();
  if ('uid' in user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  await run(join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'], { timeout: 60_000, ...user });
  const pgPort = await freePort();
  postgres = spawn(join(PG_BIN, 'postgres'), ['-D', data, '-p', String(pgPort), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'], { stdio: 'ignore', ...user });
  await waitFor(async () => (await psql(pgPort, ['-U', 'postgres', '-c', 'select 1'])).stdout === '1', { timeoutMs: 30_000, what: 'postgres to accept connections' });
  await psql(pgPort, ['-U', 'postgres', '-c', 'create user mitchellh']);
  await psql(pgPort, ['-U', 'postgres', '-c', 'create database mydb owner mitchellh']);

  const sidecar = await freePort();
  const config = join(dir, 'postgresql.json');
  writeFileSync(
    config,
    JSON.stringify({
      service: {
        name: 'postgresql',
        port: pgPort,
        connect: { sidecar_service: { port: sidecar, check: { name: 'sidecar listening', tcp: `127.0.0.1:${sidecar}`, interval: '1s' } } },
      },
    }),
  );
  agent = await startAgent({ args: ['-dev', '-config-file', config] });
  await startProxy(agent, ['-sidecar-for', 'postgresql']);
  await waitForMeshInstances(agent, 'postgresql');
  upstreamPort = await freePort();
  await startProxy(agent, ['-service', 'web', '-upstream', `postgresql:${upstreamPort}`]);
});

afterAll(async () => {
  await stopConnectProcesses();
  await stopAllAgents();
  if (postgres && postgres.exitCode === null) {
    const gone = new Promise((r) => postgres.once('exit', r));
    // SIGINT: PostgreSQL's fast shutdown.
    postgres.kill('SIGINT');
    await gone;
  }
  removeDir(dir);
});

describe('PostgreSQL through weft connect proxy', () => {
  it('answers psql -h 127.0.0.1 -p PORT -U mitchellh mydb through the masquerading proxy', async () => {
    const r = await psql(upstreamPort, ['-U', 'mitchellh', 'mydb', '-c', 'create table visits (n int)', '-c', 'insert into visits values (42)', '-c', 'select current_user, current_database(), sum(n) from visits']);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').pop()).toBe('mitchellh|mydb|42');
  });

  it("follows the seed's intentions: deny web to everything, then allow web to postgresql", async () => {
    await runWeft(['intention', 'create', '-http-addr', agent.address, '-deny', 'web', '*']);
    await waitFor(async () => (await psql(upstreamPort, ['-U', 'mitchellh', 'mydb', '-c', 'select 1'])).code !== 0, { timeoutMs: 2000, what: 'psql to be refused' });
    const refused = await psql(upstreamPort, ['-U', 'mitchellh', 'mydb', '-c', 'select 1']);
    expect(refused.stderr).toMatch(/server closed the connection unexpectedly|connection to server .* failed/);

    await runWeft(['intention', 'create', '-http-addr', agent.address, '-allow', 'web', 'postgresql']);
    await waitFor(async () => (await psql(upstreamPort, ['-U', 'mitchellh', 'mydb', '-c', 'select 1'])).stdout === '1', { timeoutMs: 2000, what: 'psql to get through again' });
  });
});
