import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitFor, type TestAgent } from './harness.js';
import { spawnWeft, type WeftProcess } from './weft-process.js';

/** Real processes for the Connect data-plane tests: `weft connect proxy`, redis-server, redis-cli. */
const run = promisify(execFile);
const children = new Set<ChildProcess>();

/** Adds a process the test started to those stopConnectProcesses() stops. */
export function trackChild(proc: ChildProcess): ChildProcess {
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  return proc;
}

export type ProxyProcess = WeftProcess;

/** Starts `weft connect proxy ARGS` against `agent` and waits until it says it is running. */
export async function startProxy(agent: TestAgent, args: string[]): Promise<ProxyProcess> {
  const p = spawnWeft(['connect', 'proxy', '-http-addr', agent.address, ...args]);
  trackChild(p.proc);
  await waitFor(
    () => {
      if (!p.running) throw new Error(`proxy exited early:\n${p.stdout}\n${p.stderr}`);
      return p.stdout.includes('Log data will now stream in');
    },
    { timeoutMs: 20_000, what: `weft connect proxy ${args.join(' ')}` },
  );
  return p;
}

/** A throwaway redis-server on a free port (no persistence). */
export async function startRedis(): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort();
  const proc = trackChild(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
  await waitFor(async () => (await redisCli(port, ['ping'])).stdout.trim() === 'PONG', { what: 'redis-server to answer' });
  return { port, proc };
}

/** `redis-cli -p PORT ARGS`; never throws, the output says what happened. */
export async function redisCli(port: number, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A RESP connection kept open through a proxy, to show it survives changes made after it opened. */
export async function redisConnection(port: number): Promise<{ command(...args: string[]): Promise<string>; close(): void; socket: Socket }> {
  const socket = connect({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    close: () => socket.destroy(),
    command: (...args) =>
      new Promise((resolve, reject) => {
        let got = '';
        const onData = (d: Buffer) => {
          got += d;
          const reply = completeReply(got);
          if (reply !== null) {
            socket.off('data', onData);
            socket.off('close', onClose);
            resolve(reply);
          }
        };
        const onClose = () => reject(new Error('connection closed'));
        socket.on('data', onData);
        socket.once('close', onClose);
        socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
      }),
  };
}

/** One whole RESP reply, or null while more is to come: `+OK` as is, a bulk string as its value. */
function completeReply(got: string): string | null {
  const eol = got.indexOf('\r\n');
  if (eol < 0) return null;
  if (got[0] !== '$') return got.slice(0, eol);
  const n = Number(got.slice(1, eol));
  if (n < 0) return '(nil)';
  return got.length >= eol + 2 + n + 2 ? got.slice(eol + 2, eol + 2 + n) : null;
}

/** Waits until the catalog lists `n` passing mesh instances of `service` (its sidecars' checks have run). */
export async function waitForMeshInstances(agent: TestAgent, service: string, n = 1, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => (await agent.client.get<unknown[]>(`/v1/health/connect/${service}`, { query: { passing: true } })).body.length === n, {
    timeoutMs,
    what: `${n} passing mesh instance(s) of ${service}`,
  });
}

/** Stops every proxy and daemon a test file started. */
export async function stopConnectProcesses(): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
}

export interface RedisMesh {
  redisSidecar: number;
  webSidecar: number;
  upstream: number;
}

const sidecarCheck = (port: number) => `
      check {
        name     = "sidecar listening"
        tcp      = "127.0.0.1:${port}"
        interval = "1s"
      }`;

/**
 * Writes `services.hcl` into `dir`: redis (on `redisPort`) and web, each with a sidecar
 * declared in `connect { sidecar_service {} }`, web's with redis as an upstream. The sidecars'
 * checks run every second so tests need not wait out Consul's 10 s default.
 */
export async function writeRedisMesh(dir: string, redisPort: number): Promise<{ file: string; ports: RedisMesh }> {
  const ports = { redisSidecar: await freePort(), webSidecar: await freePort(), upstream: await freePort() };
  const file = join(dir, 'services.hcl');
  writeFileSync(
    file,
    `
service {
  name = "redis"
  port = ${redisPort}
  connect {
    sidecar_service {
      port = ${ports.redisSidecar}${sidecarCheck(ports.redisSidecar)}
    }
  }
}
service {
  name = "web"
  port = ${await freePort()}
  connect {
    sidecar_service {
      port = ${ports.webSidecar}${sidecarCheck(ports.webSidecar)}
      proxy {
        upstreams = [{ destination_name = "redis", local_bind_port = ${ports.upstream} }]
      }
    }
  }
}
`,
  );
  return { file, ports };
}
