import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real etcd processes for tests (Debian's `etcd-server`): an N-member cluster on free
 * loopback ports with data dirs in a temp dir. Members can be killed (-9) and started
 * again on the same ports and data; `stop()` ends every process and removes the dirs.
 */
/** PEM files: etcd serves its client port with `cert`/`key` and requires client certificates signed by `ca`. */
export interface EtcdTls {
  ca: string;
  cert: string;
  key: string;
  /** A client certificate and key signed by `ca`, for health checks. */
  clientCert: string;
  clientKey: string;
}

export class EtcdMember {
  proc: ChildProcess | null = null;
  log = '';

  constructor(
    readonly name: string,
    readonly clientPort: number,
    readonly peerPort: number,
    readonly dataDir: string,
    private readonly cluster: EtcdCluster,
  ) {}

  get clientUrl(): string {
    return `${this.cluster.tls ? 'https' : 'http'}://127.0.0.1:${this.clientPort}`;
  }

  get peerUrl(): string {
    return `http://127.0.0.1:${this.peerPort}`;
  }

  get running(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  start(state: 'new' | 'existing'): void {
    const args = [
      '--name', this.name,
      '--data-dir', this.dataDir,
      '--listen-client-urls', this.clientUrl,
      '--advertise-client-urls', this.clientUrl,
      '--listen-peer-urls', this.peerUrl,
      '--initial-advertise-peer-urls', this.peerUrl,
      '--initial-cluster', this.cluster.initialCluster,
      '--initial-cluster-state', state,
      '--initial-cluster-token', this.cluster.token,
      '--logger', 'zap',
      '--log-level', 'warn',
    ];
    const tls = this.cluster.tls;
    if (tls) args.push('--cert-file', tls.cert, '--key-file', tls.key, '--trusted-ca-file', tls.ca, '--client-cert-auth');
    const proc = spawn('etcd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (c: Buffer) => (this.log = (this.log + c.toString('utf8')).slice(-8192));
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    proc.on('error', (err) => (this.log += `\nspawn failed: ${err.message}`));
    this.proc = proc;
  }

  /** kill -9, and wait until the process is gone. */
  async kill9(): Promise<void> {
    const p = this.proc;
    if (!p || !this.running) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  /** Starts the member again on its ports and data dir (after kill9). */
  restart(): void {
    this.start('existing');
  }
}

export class EtcdCluster {
  readonly members: EtcdMember[] = [];
  readonly token = `weft-test-${process.pid}-${Date.now()}`;
  private readonly root: string;

  private constructor(
    size: number,
    ports: number[],
    readonly tls: EtcdTls | null,
  ) {
    this.root = mkdtempSync(join(tmpdir(), 'weft-etcd-'));
    for (let i = 0; i < size; i++) this.members.push(new EtcdMember(`e${i}`, ports[2 * i], ports[2 * i + 1], join(this.root, `e${i}`), this));
  }

  get initialCluster(): string {
    return this.members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
  }

  get endpoints(): string[] {
    return this.members.map((m) => m.clientUrl);
  }

  /** Starts `size` members and resolves once the cluster has a leader (or throws with their logs). */
  static async start(size = 1, opts: { timeoutMs?: number; tls?: EtcdTls } = {}): Promise<EtcdCluster> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const ports: number[] = [];
    for (let i = 0; i < 2 * size; i++) ports.push(await freePort(ports));
    const c = new EtcdCluster(size, ports, opts.tls ?? null);
    for (const m of c.members) m.start('new');
    try {
      await c.waitHealthy(timeoutMs);
    } catch (err) {
      await c.stop();
      throw err;
    }
    return c;
  }

  /** Waits until a running member reports a healthy cluster (it has a leader). */
  async waitHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const m of this.members) if (m.running && (await healthy(m.clientPort, this.tls))) return;
      if (this.members.every((m) => !m.running)) throw new Error(`every etcd member exited:\n${this.logs()}`);
      if (Date.now() > deadline) throw new Error(`etcd did not become healthy:\n${this.logs()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  logs(): string {
    return this.members.map((m) => `--- ${m.name}\n${m.log}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((m) => m.kill9()));
    rmSync(this.root, { recursive: true, force: true });
  }
}

function healthy(port: number, tls: EtcdTls | null): Promise<boolean> {
  return new Promise((resolve) => {
    const opts = { host: '127.0.0.1', port, path: '/health', timeout: 1000 };
    const onResponse = (res: IncomingMessage) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"true"')));
    };
    const req = tls
      ? httpsRequest({ ...opts, ca: readFileSync(tls.ca), cert: readFileSync(tls.clientCert), key: readFileSync(tls.clientKey) }, onResponse)
      : request(opts, onResponse);
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function freePort(taken: number[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => (taken.includes(port) ? freePort(taken).then(resolve, reject) : resolve(port)));
    });
  });
}

/** A CA, an etcd server certificate for 127.0.0.1 and a client certificate, made with openssl in `dir`. */
export function makeTestCerts(dir: string): EtcdTls {
  const f = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=weft-test-ca');
  for (const [name, usage] of [['server', 'serverAuth,clientAuth'], ['client', 'clientAuth']]) {
    writeFileSync(f(`${name}.ext`), `subjectAltName=IP:127.0.0.1\nextendedKeyUsage=${usage}\n`);
    openssl('req', ...ec, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${name}`);
    openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f(`${name}.pem`), '-days', '1', '-extfile', f(`${name}.ext`));
  }
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key'), clientCert: f('client.pem'), clientKey: f('client.key') };
}
