import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket, type TlsOptions } from 'node:tls';
import type { RequestListener } from 'node:http';
import { ApiClient } from '../api/client.js';
import { ConnectApi, type CARoots, type LeafCert } from '../api/connect.js';
import { parseSpiffeUri } from '../connect/spiffe.js';
import { WeftError } from '../lib/errors.js';
import { healthyEndpoints, serviceSni, type EndpointSource, type SnapshotIntentions } from '../proxycfg/wire.js';
import { authorizeConnection, type Authorization } from './authorize.js';
import { dialMtls } from './dial.js';
import { follow } from './follow.js';
import { SessionCache } from './session-cache.js';
import { peerIdentity } from './identity.js';
import { TlsContexts, contextOptions } from './tls.js';

export interface ConnectServiceOptions {
  /** The service this process is (its certificate's identity). */
  name: string;
  /** The agent to ask: an ApiClient or its address; default `http://127.0.0.1:8500`. */
  agent?: ApiClient | string;
  token?: string;
  /** How long `connectService` waits for the first certificate (default 30 s). */
  readyTimeoutMs?: number;
  /** Told about failed agent calls; the service keeps retrying in the background. */
  onError?: (err: unknown) => void;
}

export interface DialServiceOptions {
  /** Per attempt (default 10 s, Consul's upstream connect timeout). */
  timeoutMs?: number;
  /** Instances tried before giving up (default 3). */
  attempts?: number;
}

/**
 * A process that is a mesh service without a sidecar (Consul's `connect.NewService`): it
 * follows its leaf certificate, the roots and its intentions on the agent, serves mutual
 * TLS with every new connection authorized locally, and dials other mesh services by name.
 */
export class ConnectService {
  private readonly client: ApiClient;
  private readonly api: ConnectApi;
  private readonly owned: boolean;
  private readonly stop = new AbortController();
  private readonly contexts = new TlsContexts();
  private readonly sessions = new SessionCache();
  private leaf: LeafCert | null = null;
  private roots: CARoots | null = null;
  private intentions: SnapshotIntentions | null = null;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly name: string, opts: ConnectServiceOptions) {
    this.owned = !(opts.agent instanceof ApiClient);
    this.client = opts.agent instanceof ApiClient ? opts.agent : new ApiClient({ address: opts.agent ?? 'http://127.0.0.1:8500', token: opts.token });
    this.api = new ConnectApi(this.client);
    const signal = this.stop.signal;
    const onError = opts.onError;
    this.contexts.onChange(() => this.sessions.clear());
    void follow((index, s) => this.api.leaf(name, { index, signal: s }), (leaf) => this.set({ leaf }), { signal, onError });
    void follow((index, s) => this.api.roots({ index, signal: s }), (roots) => this.set({ roots }), { signal, onError });
    void follow(
      (index, s) => this.api.intentionMatch('destination', [name], { index, signal: s }),
      (m, res) => this.set({ intentions: { Matches: m[name] ?? [], DefaultAllow: ConnectApi.defaultAllow(res), DefaultReason: 'no intention matched: default policy' } }),
      { signal, onError },
    );
  }

  static async start(opts: ConnectServiceOptions): Promise<ConnectService> {
    if (!opts.name) throw new WeftError('BAD_REQUEST', 'a service name is required');
    const svc = new ConnectService(opts.name, opts);
    try {
      await svc.ready(opts.readyTimeoutMs ?? 30_000);
    } catch (err) {
      svc.close();
      throw err;
    }
    return svc;
  }

  private set(part: { leaf?: LeafCert; roots?: CARoots; intentions?: SnapshotIntentions }): void {
    if (part.leaf) this.leaf = part.leaf;
    if (part.roots) this.roots = part.roots;
    if (part.intentions) this.intentions = part.intentions;
    if (this.leaf && this.roots) {
      this.contexts.update({ certPem: this.leaf.CertPEM, keyPem: this.leaf.PrivateKeyPEM, rootPems: this.roots.Roots.map((r) => r.RootCert) });
    }
    if (this.isReady) for (const w of this.waiters) w();
  }

  private get isReady(): boolean {
    return this.contexts.ready && this.intentions !== null;
  }

  private ready(timeoutMs: number): Promise<void> {
    if (this.isReady) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        reject(new WeftError('UNAVAILABLE', `no certificate for ${this.name} from the agent within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
    });
  }

  /** This service's SPIFFE ID. */
  get identity(): string {
    return this.leaf?.ServiceURI ?? '';
  }

  private get trustDomain(): string {
    return this.roots?.TrustDomain ?? '';
  }

  private get datacenter(): string {
    const id = parseSpiffeUri(this.identity);
    return id && id.kind === 'service' ? id.datacenter : '';
  }

  /**
   * Options for `tls.createServer` / `https.createServer`: the current leaf, the mesh roots,
   * client certificates required. Mesh clients send SNI, so the SNICallback hands them the
   * newest certificate after a rotation. Authorize each connection with `authorize`, or use
   * `createServer`/`createHttpsServer`, which do it and also rotate for clients without SNI.
   */
  serverTlsOptions(): TlsOptions {
    return {
      ...contextOptions(this.contexts.currentMaterial()),
      requestCert: true,
      rejectUnauthorized: true,
      SNICallback: (_name, cb) => cb(null, this.contexts.current()),
    };
  }

  /** Decides an inbound connection by the caller's verified identity and this service's intentions. */
  authorize(socket: TLSSocket): Authorization {
    return authorizeConnection(peerIdentity(socket), this.trustDomain, this.name, this.intentions ?? { Matches: [], DefaultAllow: false, DefaultReason: 'intentions not loaded' });
  }

  /** A TLS server that hands `onConnection` only authorized connections; denied ones are closed. */
  createServer(onConnection: (socket: TLSSocket, auth: Authorization) => void): TlsServer {
    const server = createTlsServer(this.serverTlsOptions(), (socket) => {
      const auth = this.authorize(socket);
      if (!auth.allowed) return void socket.destroy();
      onConnection(socket, auth);
    });
    return this.keepFresh(server);
  }

  /** An HTTPS server for a native service: mutual TLS, denied callers closed before any request is read. */
  createHttpsServer(handler: RequestListener, options: HttpsServerOptions = {}): HttpsServer {
    const server = createHttpsServer({ ...options, ...this.serverTlsOptions() }, handler);
    server.prependListener('secureConnection', (socket: TLSSocket) => {
      if (!this.authorize(socket).allowed) socket.destroy();
    });
    return this.keepFresh(server);
  }

  private keepFresh<S extends TlsServer>(server: S): S {
    const off = this.contexts.onChange((m) => server.setSecureContext({ ...contextOptions(m) }));
    server.once('close', off);
    return server;
  }

  /**
   * A mutual-TLS connection to a healthy instance of `service` (its sidecar or a native
   * instance), verified to be that service; another instance is tried when one fails.
   */
  async dial(service: string, opts: DialServiceOptions = {}): Promise<TLSSocket> {
    const res = await this.client.get<EndpointSource[]>(`/v1/health/connect/${encodeURIComponent(service)}`, { query: { passing: true } });
    const endpoints = healthyEndpoints(res.body ?? [], this.trustDomain, this.datacenter).sort(() => Math.random() - 0.5);
    if (endpoints.length === 0) throw new WeftError('UNAVAILABLE', `no healthy instances of ${service} found`);
    const sni = serviceSni(service, this.datacenter, this.trustDomain);
    let last: unknown;
    for (const e of endpoints.slice(0, opts.attempts ?? 3)) {
      try {
        return await dialMtls({ host: e.Address, port: e.Port, sni, identity: e.Identity }, { context: this.contexts.current(), timeoutMs: opts.timeoutMs ?? 10_000, sessions: this.sessions });
      } catch (err) {
        last = err;
      }
    }
    throw last;
  }

  /** An `http.Agent` whose connections go to `service` over the mesh: `http.get({ agent, path: '/' })`. */
  httpAgent(service: string, options: AgentOptions = {}): HttpAgent {
    const agent = new HttpAgent({ keepAlive: true, ...options });
    (agent as unknown as { createConnection: (o: unknown, cb: (err: Error | null, s?: Duplex) => void) => undefined }).createConnection = (_o, cb) => {
      this.dial(service).then((s) => cb(null, s), (err: Error) => cb(err));
      return undefined;
    };
    return agent;
  }

  /** Stops following the agent. Servers and sockets made from this service stay open. */
  close(): void {
    this.stop.abort();
    if (this.owned) this.client.close();
  }
}

/** Starts a native mesh service and resolves once its certificate, roots and intentions are loaded. */
export function connectService(opts: ConnectServiceOptions): Promise<ConnectService> {
  return ConnectService.start(opts);
}
