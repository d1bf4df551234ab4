import { spawn } from 'node:child_process';
import { freePort, removeDir, tempDir, TestAgent, waitFor, WEFT_BIN } from './harness.js';

/** A real agent process with the ports it was given. */
export class ClusterAgent extends TestAgent {
  constructor(
    proc: ConstructorParameters<typeof TestAgent>[0],
    readonly ports: { http: number; serf: number; server: number },
    readonly node: string,
    readonly dataDir: string,
    readonly args: string[],
  ) {
    super(proc, ports.http);
  }

  /** The address clients join (`-retry-join`). */
  get serfAddress(): string {
    return `127.0.0.1:${this.ports.serf}`;
  }
}

const started = new Set<ClusterAgent>();
const dirs = new Set<string>();

export interface ClusterAgentOptions {
  node: string;
  /** Reuse a data dir (restart); a new temp dir otherwise. */
  dataDir?: string;
  ports?: Partial<ClusterAgent['ports']>;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Wait for the HTTP API only (a client that has not joined yet answers its agent endpoints). */
  readyPath?: string;
}

async function launch(mode: string[], opts: ClusterAgentOptions): Promise<ClusterAgent> {
  const ports = { http: opts.ports?.http ?? (await freePort()), serf: opts.ports?.serf ?? (await freePort()), server: opts.ports?.server ?? (await freePort()) };
  const dataDir = opts.dataDir ?? tempDir('weft-cluster-');
  dirs.add(dataDir);
  const args = [
    'agent',
    ...mode,
    '-node',
    opts.node,
    '-data-dir',
    dataDir,
    '-bind',
    '127.0.0.1',
    '-http-port',
    String(ports.http),
    '-dns-port',
    '-1',
    '-serf-lan-port',
    String(ports.serf),
    '-server-port',
    String(ports.server),
    ...(opts.args ?? []),
  ];
  const proc = spawn(process.execPath, [WEFT_BIN, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const agent = new ClusterAgent(proc, ports, opts.node, dataDir, args);
  started.add(agent);
  proc.on('exit', () => started.delete(agent));
  await waitFor(
    async () => {
      if (!agent.running) throw new Error(`agent exited early:\n${agent.stderr}`);
      await agent.client.get(opts.readyPath ?? '/v1/agent/self');
      return true;
    },
    { timeoutMs: 20_000, what: `agent ${opts.node} to answer` },
  );
  return agent;
}

/** `weft agent -server -bootstrap` with its own data dir and ports. */
export function startServer(opts: ClusterAgentOptions): Promise<ClusterAgent> {
  return launch(['-server', '-bootstrap'], opts);
}

/** A client agent joining `server` (retrying every 200 ms until it answers); `''` joins nothing. */
export function startClient(server: { serfAddress: string } | string, opts: ClusterAgentOptions): Promise<ClusterAgent> {
  const join = typeof server === 'string' ? server : server.serfAddress;
  const joinArgs = join ? ['-retry-join', join, '-retry-interval', '200ms'] : [];
  return launch([], { ...opts, args: [...joinArgs, ...(opts.args ?? [])] });
}

/** Kills every agent this file started and removes their data dirs. */
export async function stopCluster(): Promise<void> {
  await Promise.all([...started].map((a) => a.kill9()));
  for (const d of dirs) removeDir(d);
  dirs.clear();
}

/** Status name of `node` in `weft members` terms, as the agent at `from` sees it. */
export async function memberStatus(from: TestAgent, node: string): Promise<string | undefined> {
  const members = (await from.client.get<{ Name: string; Status: number }[]>('/v1/agent/members')).body;
  const m = members.find((x) => x.Name === node);
  return m ? (['none', 'alive', 'leaving', 'left', 'failed'][m.Status] ?? 'unknown') : undefined;
}
