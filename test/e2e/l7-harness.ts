import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { freePort, removeDir, runWeft, startAgent, stopAllAgents, tempDir, waitFor, type TestAgent } from './harness.js';
import { startProxy, stopConnectProcesses, trackChild, waitForMeshInstances, type ProxyProcess } from './connect-harness.js';

/**
 * The seed talk's mesh at L7, with real processes: one `weft agent -dev`, the apps of
 * fixtures/l7-app.mjs, each behind its own `weft connect proxy -sidecar-for`, and a keep-alive
 * HTTP client playing the caller at its sidecar's upstream port.
 */
const APP = fileURLToPath(new URL('./fixtures/l7-app.mjs', import.meta.url));

export interface AppOptions {
  failEvery?: number;
  failStatus?: number;
  status?: number;
  delayMs?: number;
  grpc?: boolean;
}

export interface AppStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
}

export class AppProcess {
  output = '';
  constructor(
    readonly proc: ChildProcess,
    readonly port: number,
  ) {
    proc.stdout!.on('data', (c) => (this.output += c));
    proc.stderr!.on('data', (c) => (this.output += c));
  }

  /** What the app counted, asked of the app directly rather than through the mesh; `reset` starts maxInFlight over. */
  async stats(opts: { reset?: boolean } = {}): Promise<AppStats> {
    const res = await fetch(`http://127.0.0.1:${this.port}/__app/stats${opts.reset ? '?reset' : ''}`);
    return (await res.json()) as AppStats;
  }
}

/** Starts fixtures/l7-app.mjs and resolves once it says it is listening. */
export async function startApp(name: string, version: string, opts: AppOptions = {}): Promise<AppProcess> {
  const port = await freePort();
  const args = ['--name', name, '--version', version, '--port', String(port)];
  if (opts.failEvery) args.push('--fail-every', String(opts.failEvery), '--fail-status', String(opts.failStatus ?? 503));
  if (opts.status) args.push('--status', String(opts.status));
  if (opts.delayMs) args.push('--delay-ms', String(opts.delayMs));
  if (opts.grpc) args.push('--grpc');
  const proc = trackChild(spawn(process.execPath, [APP, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const app = new AppProcess(proc, port);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`l7-app ${name} ${version} did not start:\n${app.output}`)), 15_000);
    const onData = () => {
      if (!app.output.includes(`listening on 127.0.0.1:${port}`)) return;
      clearTimeout(timer);
      proc.stdout!.off('data', onData);
      resolve();
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`l7-app ${name} ${version} exited with ${code}:\n${app.output}`));
    });
  });
  return app;
}

export interface InstanceSpec {
  id: string;
  service: string;
  /** Becomes Meta.version (which the resolvers' subsets filter on) and the app's answers. */
  version?: string;
  /** The app to run behind the sidecar; null for a caller that only uses its upstreams. */
  app?: AppOptions | null;
  /** Upstream services; each gets a free local port on the sidecar. */
  upstreams?: string[];
}

export interface Instance {
  id: string;
  service: string;
  version: string;
  app: AppProcess | null;
  sidecar: ProxyProcess;
  sidecarPort: number;
  metricsPort: number;
  upstreamPorts: Record<string, number>;
}

export class L7Mesh {
  readonly instances = new Map<string, Instance>();
  private writes = 0;

  private constructor(
    readonly agent: TestAgent,
    readonly dir: string,
  ) {}

  static async start(): Promise<L7Mesh> {
    const dir = tempDir('weft-l7-');
    const agent = await startAgent({ args: ['-dev'] });
    await waitFor(async () => (await agent.client.get<{ TrustDomain: string }>('/v1/connect/ca/roots')).body.TrustDomain, { what: 'the CA to be set up' });
    return new L7Mesh(agent, dir);
  }

  instance(id: string): Instance {
    const i = this.instances.get(id);
    if (!i) throw new Error(`no instance ${id}`);
    return i;
  }

  /** Starts the apps, registers the instances with their sidecars, runs the sidecars, waits until every one is a healthy mesh instance. */
  async add(...specs: InstanceSpec[]): Promise<void> {
    await Promise.all(specs.map((s) => this.addOne(s)));
    const counts = new Map<string, number>();
    for (const i of this.instances.values()) counts.set(i.service, (counts.get(i.service) ?? 0) + 1);
    await Promise.all([...new Set(specs.map((s) => s.service))].map((svc) => waitForMeshInstances(this.agent, svc, counts.get(svc))));
  }

  private async addOne(spec: InstanceSpec): Promise<void> {
    const version = spec.version ?? 'v1';
    const app = spec.app === null ? null : await startApp(spec.service, version, spec.app ?? {});
    const [sidecarPort, metricsPort, appPort] = await Promise.all([freePort(), freePort(), app ? app.port : freePort()]);
    const upstreamPorts: Record<string, number> = {};
    for (const u of spec.upstreams ?? []) upstreamPorts[u] = await freePort();
    await this.agent.client.put('/v1/agent/service/register', {
      body: {
        ID: spec.id,
        Name: spec.service,
        Port: appPort,
        Meta: { version },
        Connect: {
          SidecarService: {
            Port: sidecarPort,
            // Consul's default sidecar checks, the TCP one every second instead of ten.
            Checks: [
              { Name: 'sidecar listening', TCP: `127.0.0.1:${sidecarPort}`, Interval: '1s' },
              { Name: `aliasing ${spec.id}`, AliasService: spec.id },
            ],
            Proxy: { Upstreams: Object.entries(upstreamPorts).map(([DestinationName, LocalBindPort]) => ({ DestinationName, LocalBindPort })) },
          },
        },
      },
    });
    const sidecar = await startProxy(this.agent, ['-sidecar-for', spec.id, '-metrics-addr', `127.0.0.1:${metricsPort}`]);
    this.instances.set(spec.id, { id: spec.id, service: spec.service, version, app, sidecar, sidecarPort, metricsPort, upstreamPorts });
  }

  /** `weft COMMAND -http-addr <agent> ARGS`, e.g. `weft('config write', file)`; throws with the output unless it exits 0. */
  async weft(command: string, ...args: string[]): Promise<string> {
    const r = await runWeft([...command.split(' '), '-http-addr', this.agent.address, ...args]);
    if (r.code !== 0) throw new Error(`weft ${command} ${args.join(' ')} exited ${r.code}:\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }

  /** `weft config write` of an HCL entry, as an operator does; resolves when the CLI has the agent's answer. */
  async write(hcl: string): Promise<void> {
    const file = join(this.dir, `entry-${++this.writes}.hcl`);
    writeFileSync(file, hcl);
    await this.weft('config write', file);
  }

  /**
   * `weft config write`, then waits until sidecar `id` has applied a new snapshot: the bound the
   * proxies promise is a second. Only for writes that change what that sidecar routes by.
   * Resolves with when the CLI had its answer and how long after that the sidecar applied it.
   */
  async writeAndWait(id: string, hcl: string): Promise<{ writtenAt: number; appliedAfterMs: number }> {
    const before = metricSum(await this.metrics(id), L7_METRICS.snapshotUpdates);
    await this.write(hcl);
    const writtenAt = Date.now();
    await waitFor(async () => metricSum(await this.metrics(id), L7_METRICS.snapshotUpdates) > before, {
      timeoutMs: 1000,
      intervalMs: 20,
      what: `sidecar ${id} to apply the change within a second`,
    });
    return { writtenAt, appliedAfterMs: Date.now() - writtenAt };
  }

  /** Entries written straight to /v1/config, in order: the scenery a test builds on. */
  async put(...entries: Record<string, unknown>[]): Promise<void> {
    for (const body of entries) await this.agent.client.put('/v1/config', { body });
  }

  async deleteEntry(kind: string, name: string): Promise<void> {
    await this.agent.client.delete(`/v1/config/${kind}/${name}`);
  }

  /** The Prometheus text of an instance's sidecar. */
  async metrics(id: string): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${this.instance(id).metricsPort}/metrics`);
    return res.text();
  }

  /** Stops the apps and sidecars (stopConnectProcesses tracks both), then the agent. */
  async stop(): Promise<void> {
    await stopConnectProcesses();
    await stopAllAgents();
    removeDir(this.dir);
  }
}

/** The sidecars' Prometheus series the tests read. */
export const L7_METRICS = {
  snapshotUpdates: 'weft_proxy_snapshot_updates_total',
  requests: 'weft_proxy_http_requests_total',
  duration: 'weft_proxy_http_request_duration_seconds',
  retries: 'weft_proxy_http_retries_total',
  ejections: 'weft_proxy_http_outlier_ejections_total',
  circuitBreakerTrips: 'weft_proxy_http_circuit_breaker_trips_total',
} as const;

/** Sums the samples of `name` whose labels include `labels` (Prometheus text format). */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The app's JSON answer ({service, version, path, method, headers}), when it is one. */
  body: AppAnswer | undefined;
}

export interface AppAnswer {
  service: string;
  version: string;
  path: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  bodyLength: number;
  inFlight: number;
}

/** A caller at a sidecar's upstream port, over keep-alive HTTP/1.1 connections. */
export class MeshCaller {
  private readonly pool: Pool;

  constructor(port: number, connections = 16) {
    this.pool = new Pool(`http://127.0.0.1:${port}`, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  async request(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
    const res = await this.pool.request({ path, method: (opts.method ?? 'GET') as 'GET', headers: opts.headers, body: opts.body });
    const text = await res.body.text();
    let body: AppAnswer | undefined;
    if (String(res.headers['content-type'] ?? '').includes('application/json')) body = JSON.parse(text) as AppAnswer;
    return { status: res.statusCode, headers: res.headers, text, body };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export interface Sample {
  start: number;
  status: number;
  version: string;
  error?: string;
}

/** `total` requests from `workers` concurrent callers; every answer (or network error) as a sample. */
export async function burst(caller: MeshCaller, path: string, total: number, workers = 8, headers?: Record<string, string>): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        next++;
        samples.push(await sample(caller, path, headers));
      }
    }),
  );
  return samples;
}

export interface Load {
  /** Every answer so far, growing while the load runs. */
  readonly samples: Sample[];
  /** Ends the loop once the requests in flight are answered; the samples by start time. */
  stop(): Promise<Sample[]>;
}

/** Requests in a loop from `workers` callers until stopped: traffic flowing while something changes. */
export function startLoad(caller: MeshCaller, path: string, workers = 4): Load {
  const samples: Sample[] = [];
  let running = true;
  const loops = Promise.all(
    Array.from({ length: workers }, async () => {
      while (running) samples.push(await sample(caller, path));
    }),
  );
  return {
    samples,
    async stop() {
      running = false;
      await loops;
      return [...samples].sort((a, b) => a.start - b.start);
    },
  };
}

async function sample(caller: MeshCaller, path: string, headers?: Record<string, string>): Promise<Sample> {
  const start = Date.now();
  try {
    const r = await caller.request(path, { headers });
    return { start, status: r.status, version: r.body?.version ?? '', ...(r.status >= 400 ? { error: r.text.slice(0, 200) } : {}) };
  } catch (err) {
    return { start, status: 0, version: '', error: (err as Error).message };
  }
}

/** How many samples each version served, and the failures. */
export function tally(samples: Sample[]): { byVersion: Record<string, number>; failures: Sample[] } {
  const byVersion: Record<string, number> = {};
  for (const s of samples) if (s.status === 200) byVersion[s.version] = (byVersion[s.version] ?? 0) + 1;
  return { byVersion, failures: samples.filter((s) => s.status !== 200) };
}
