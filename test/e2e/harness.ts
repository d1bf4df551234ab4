import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient } from '../../src/api/index.js';

export const WEFT_BIN = fileURLToPath(new URL('../../bin/weft.js', import.meta.url));

/** A port the OS says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix = 'weft-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `weft ARGS...` to completion. */
export function runWeft(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WEFT_BIN, ...args], { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'], cwd: opts.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`weft ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export interface AgentOptions {
  /** Extra flags after `agent`. Without -dev or -server, `-dev` is added. */
  args?: string[];
  httpPort?: number;
  /** A non-dev server also binds its cluster ports; tests give it free ones (reuse them to restart on the same addresses). */
  clusterPorts?: ClusterPorts;
  env?: NodeJS.ProcessEnv;
}

export interface ClusterPorts {
  serfLan: number;
  server: number;
}

export class TestAgent {
  stdout = '';
  stderr = '';
  readonly client: ApiClient;
  private exited: Promise<number | null>;

  constructor(
    readonly proc: ChildProcess,
    readonly httpPort: number,
    readonly clusterPorts?: ClusterPorts,
  ) {
    proc.stdout!.on('data', (c) => (this.stdout += c));
    proc.stderr!.on('data', (c) => (this.stderr += c));
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    this.client = new ApiClient({ address: `http://127.0.0.1:${httpPort}` });
  }

  get address(): string {
    return `127.0.0.1:${this.httpPort}`;
  }

  /** Resolves with the exit code once the process is gone. */
  waitExit(): Promise<number | null> {
    return this.exited;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.client.close();
    if (this.running) this.proc.kill(signal);
    return this.exited;
  }

  async kill9(): Promise<void> {
    this.client.close();
    if (this.running) this.proc.kill('SIGKILL');
    await this.exited;
  }
}

const started = new Set<TestAgent>();

/** Starts `weft agent` and resolves once its HTTP API answers. */
export async function startAgent(opts: AgentOptions = {}): Promise<TestAgent> {
  const httpPort = opts.httpPort ?? (await freePort());
  const args = opts.args ?? [];
  const mode = args.includes('-server') || args.includes('-dev') ? [] : ['-dev'];
  let clusterPorts: ClusterPorts | undefined;
  const cluster: string[] = [];
  if (args.includes('-server') && !args.includes('-serf-lan-port')) {
    clusterPorts = opts.clusterPorts ?? { serfLan: await freePort(), server: await freePort() };
    cluster.push('-serf-lan-port', String(clusterPorts.serfLan), '-server-port', String(clusterPorts.server));
  }
  const proc = spawn(process.execPath, [WEFT_BIN, 'agent', ...mode, '-http-port', String(httpPort), '-dns-port', '-1', ...cluster, ...args], {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const agent = new TestAgent(proc, httpPort, clusterPorts);
  started.add(agent);
  proc.on('exit', () => started.delete(agent));
  await waitFor(
    async () => {
      if (!agent.running) throw new Error(`agent exited early:\n${agent.stderr}`);
      await agent.client.get('/v1/status/leader');
      return true;
    },
    { timeoutMs: 20_000, what: `agent on port ${httpPort} to answer` },
  );
  return agent;
}

/** Stops every agent a test file started; call from afterEach/afterAll. */
export async function stopAllAgents(): Promise<void> {
  await Promise.all([...started].map((a) => a.kill9()));
}

/**
 * Retries `check` until it returns a truthy value, for conditions no event announces
 * (another process becoming ready). Throws the last error on timeout.
 */
export async function waitFor<T>(check: () => Promise<T> | T, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('agent exited early')) throw err;
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}: ${String(last ?? 'still false')}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
