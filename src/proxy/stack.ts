import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { joinHostPort, type ProxySnapshot, type UpstreamSnapshot } from '../proxycfg/wire.js';
import { authorizeConnection } from '../sdk/authorize.js';
import { dialMtls, DialError } from '../sdk/dial.js';
import { peerIdentity } from '../sdk/identity.js';
import { SessionCache } from '../sdk/session-cache.js';
import { TlsContexts } from '../sdk/tls.js';
import { EndpointTable } from './balancer.js';
import { AccessLog } from './l7/access-log.js';
import { HttpMetrics } from './l7/http-metrics.js';
import { InboundL7 } from './l7/inbound-l7.js';
import { UpstreamL7, isHttpProtocol } from './l7/upstream-l7.js';
import { ProxyMetrics } from './metrics.js';
import { startPublicListener, type RunningListener } from './public-listener.js';
import { withRetry } from './retry.js';
import { startUpstreamListener } from './upstream-listener.js';

interface UpstreamSlot {
  name: string;
  table: EndpointTable;
  config: UpstreamSnapshot;
  running: RunningListener;
  /** Set while the upstream's chain speaks HTTP: its requests are routed one by one. */
  l7: UpstreamL7 | null;
}

export interface ListenerAddresses {
  public: { address: string; port: number } | null;
  upstreams: { name: string; address: string; port: number }[];
}

/**
 * The built-in proxy, assembled from its layers and driven by snapshots:
 *
 *   public:   TLS listener → authz (identity, intentions) → connect local app → splice
 *             or, for an HTTP service: authn → per request: L7 intentions → local app pool
 *   upstream: TCP listener → retry → balance (EndpointTable) → mTLS connect with SNI → splice
 *             or, for an HTTP chain: per request: route → split → target → breaker →
 *             balance → attempts with retries → pooled mTLS transport (see l7/)
 *
 * A new snapshot swaps what the layers read (certificates, intentions, endpoints) without
 * rebuilding them; listeners are only opened or closed when their addresses change, and
 * closing one never cuts the connections it already accepted.
 */
export class ProxyStack {
  readonly metrics: ProxyMetrics;
  private readonly httpMetrics: HttpMetrics;
  private accessLog: { key: string; log: AccessLog | null } = { key: 'null', log: null };
  private inbound: InboundL7 | null = null;
  private readonly contexts = new TlsContexts();
  private readonly sessions = new SessionCache();
  private snap: ProxySnapshot | null = null;
  private pub: { key: string; running: RunningListener } | null = null;
  private readonly ups = new Map<string, UpstreamSlot>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly log: Logger, metrics?: ProxyMetrics) {
    this.metrics = metrics ?? new ProxyMetrics();
    this.httpMetrics = new HttpMetrics(this.metrics.registry);
    this.contexts.onChange(() => this.sessions.clear());
  }

  /** Applies a snapshot; calls are serialized. Rejects when a listener cannot be bound. */
  apply(s: ProxySnapshot): Promise<void> {
    const next = this.queue.then(() => this.reconcile(s));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** True once a certificate is installed (listeners are open from then on). */
  get ready(): boolean {
    return this.contexts.ready;
  }

  listeners(): ListenerAddresses {
    return {
      public: this.pub && { address: this.pub.running.address, port: this.pub.running.port },
      upstreams: [...this.ups.values()].map((u) => ({ name: u.name, address: u.running.address, port: u.running.port })),
    };
  }

  /** Closes every listener and every open connection. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const all = [this.pub?.running, ...[...this.ups.values()].map((u) => u.running)].filter((l): l is RunningListener => !!l);
    const l7 = [this.inbound, ...[...this.ups.values()].map((u) => u.l7)].filter((x): x is InboundL7 | UpstreamL7 => !!x);
    this.pub = null;
    this.inbound = null;
    this.ups.clear();
    await Promise.all(all.map((l) => l.close(true)));
    await Promise.all(l7.map((x) => x.close()));
    this.accessLog.log?.close();
  }

  private async reconcile(s: ProxySnapshot): Promise<void> {
    if (this.closed) return;
    this.metrics.snapshotUpdates.inc();
    if (!s.Leaf) {
      this.log.info({ service: s.Service }, 'waiting for a leaf certificate');
      return;
    }
    const rotated = this.contexts.ready;
    if (this.contexts.update({ certPem: s.Leaf.CertPEM, keyPem: s.Leaf.PrivateKeyPEM, rootPems: s.Roots.RootPEMs }) && rotated) {
      this.log.info({ serial: s.Leaf.SerialNumber, roots: s.Roots.RootPEMs.length }, 'certificates updated; new handshakes use them');
    }
    this.metrics.leafExpiry.set(Date.parse(s.Leaf.ValidBefore) / 1000);
    this.snap = s;
    const logKey = JSON.stringify(s.AccessLogs);
    if (logKey !== this.accessLog.key) {
      this.accessLog.log?.close();
      this.accessLog = { key: logKey, log: AccessLog.open(s.AccessLogs) };
    }
    this.reconcileInboundL7(s);
    await this.reconcilePublic(s);
    await this.reconcileUpstreams(s);
  }

  private reconcileInboundL7(s: ProxySnapshot): void {
    const http = !!s.PublicListener && isHttpProtocol(s.PublicListener.Protocol);
    if (http && this.inbound) this.inbound.update(s, this.accessLog.log);
    else if (http) this.inbound = new InboundL7(s, this.accessLog.log, this.httpMetrics, this.log);
    else if (this.inbound) {
      // Connections already served at L7 stay so until they close; new ones are spliced.
      void this.inbound.close();
      this.inbound = null;
    }
  }

  private async reconcilePublic(s: ProxySnapshot): Promise<void> {
    const l = s.PublicListener;
    const key = l ? joinHostPort(l.BindAddress, l.BindPort) : '';
    if (this.pub?.key === key) return;
    if (this.pub) {
      void this.pub.running.close(false);
      this.pub = null;
    }
    if (!l) return;
    const running = await startPublicListener({
      address: l.BindAddress,
      port: l.BindPort,
      contexts: this.contexts,
      handshakeTimeoutMs: l.HandshakeTimeoutMs,
      authorize: (socket: TLSSocket) => {
        const cur = this.snap!;
        return authorizeConnection(peerIdentity(socket), cur.TrustDomain, cur.Service, cur.Intentions);
      },
      local: () => {
        const cur = this.snap!.PublicListener ?? l;
        return { host: cur.LocalServiceAddress, port: cur.LocalServicePort, timeoutMs: cur.LocalConnectTimeoutMs };
      },
      http: () => {
        const inbound = this.inbound;
        return inbound && { front: inbound.front, authenticate: (socket: TLSSocket) => inbound.authenticate(socket, this.snap!.TrustDomain) };
      },
      metrics: this.metrics,
      log: this.log,
    });
    this.pub = { key, running };
  }

  private async reconcileUpstreams(s: ProxySnapshot): Promise<void> {
    const wanted = new Map(s.Upstreams.map((u) => [joinHostPort(u.LocalBindAddress, u.LocalBindPort), u]));
    for (const [key, slot] of this.ups) {
      const u = wanted.get(key);
      if (u && u.DestinationName === slot.name) continue;
      this.ups.delete(key);
      void slot.running.close(false);
      void slot.l7?.close();
    }
    for (const [key, u] of wanted) {
      const slot = this.ups.get(key);
      if (slot) {
        slot.config = u;
        slot.table.update(u.Endpoints);
        this.reconcileUpstreamL7(slot, u);
        continue;
      }
      const table = new EndpointTable();
      table.update(u.Endpoints);
      // The connector reads this same object, so later snapshots reach it through `config`.
      const fresh: Omit<UpstreamSlot, 'running'> & { running?: RunningListener } = { name: u.DestinationName, table, config: u, l7: null };
      this.reconcileUpstreamL7(fresh, u);
      fresh.running = await startUpstreamListener({
        name: u.DestinationName,
        address: u.LocalBindAddress,
        port: u.LocalBindPort,
        connect: this.upstreamConnector(fresh),
        http: () => fresh.l7?.front ?? null,
        metrics: this.metrics,
        log: this.log,
      });
      this.ups.set(key, fresh as UpstreamSlot);
    }
  }

  private reconcileUpstreamL7(slot: Omit<UpstreamSlot, 'running'>, u: UpstreamSnapshot): void {
    const http = isHttpProtocol(u.Protocol) && !!u.Chain;
    if (http && slot.l7) slot.l7.update(u, this.accessLog.log);
    else if (http) {
      slot.l7 = new UpstreamL7(`upstream:${u.DestinationName}`, u, this.accessLog.log, { contexts: this.contexts, sessions: this.sessions, metrics: this.httpMetrics, log: this.log });
    } else if (slot.l7) {
      void slot.l7.close();
      slot.l7 = null;
    }
  }

  /** balance → retry → mTLS connect, reading the slot's current config and table on every dial. */
  private upstreamConnector(slot: Omit<UpstreamSlot, 'running'>): () => Promise<TLSSocket> {
    const listener = `upstream:${slot.name}`;
    return withRetry(
      slot.table,
      (e) => dialMtls({ host: e.Address, port: e.Port, sni: slot.config.SNI, identity: e.Identity }, { context: this.contexts.current(), timeoutMs: slot.config.ConnectTimeoutMs, sessions: this.sessions }),
      {
        onFailure: (err, e) => {
          const stage = err instanceof DialError ? err.stage : 'connect';
          this.metrics.connectFailures.inc({ listener, stage });
          if (stage === 'handshake') this.metrics.handshakeErrors.inc({ listener });
          this.log.warn({ upstream: slot.name, instance: `${e.Node}/${e.ServiceID}`, error: (err as Error).message }, 'upstream dial failed');
        },
      },
    );
  }
}
