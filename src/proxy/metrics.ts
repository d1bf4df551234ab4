import type { Socket } from 'node:net';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** `public` for the mTLS listener, `upstream:<name>` for each upstream's local listener. */
export type ListenerLabel = string;

/** An open connection, seen from the side that carries the application's plain bytes. */
export interface LiveConnection {
  listener: ListenerLabel;
  /** Bytes it read are bytes the downstream sent; bytes it wrote, bytes the downstream received. */
  plain: Socket;
  /** True when `plain` faces the downstream (upstream listeners); false when it faces the local app. */
  plainIsDownstream: boolean;
}

/**
 * The proxy's Prometheus metrics. Byte counts are read from the sockets when scraped (closed
 * connections' totals plus the open ones' counters), so moving data costs no bookkeeping.
 */
export class ProxyMetrics {
  readonly registry = new Registry();
  readonly connections: Counter<'listener'>;
  readonly denied: Counter<'listener' | 'reason'>;
  readonly handshakeErrors: Counter<'listener'>;
  readonly connectFailures: Counter<'listener' | 'stage'>;
  readonly snapshotUpdates: Counter;
  readonly leafExpiry: Gauge;
  private readonly live = new Set<LiveConnection>();
  private readonly closedIn = new Map<ListenerLabel, number>();
  private readonly closedOut = new Map<ListenerLabel, number>();

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'weft_proxy_process_' });
    this.connections = new Counter({ name: 'weft_proxy_connections_total', help: 'Connections accepted, by listener.', labelNames: ['listener'], registers });
    this.denied = new Counter({
      name: 'weft_proxy_denied_connections_total',
      help: 'Inbound connections closed after the handshake: the caller is no service of this trust domain (identity) or an intention denies it (intention).',
      labelNames: ['listener', 'reason'],
      registers,
    });
    this.handshakeErrors = new Counter({
      name: 'weft_proxy_tls_handshake_errors_total',
      help: 'Failed TLS handshakes: inbound callers without a valid mesh certificate, or upstream instances whose chain or identity is wrong.',
      labelNames: ['listener'],
      registers,
    });
    this.connectFailures = new Counter({
      name: 'weft_proxy_connect_failures_total',
      help: 'Failed dials to an upstream instance or the local app, by stage (connect, handshake, timeout).',
      labelNames: ['listener', 'stage'],
      registers,
    });
    this.snapshotUpdates = new Counter({ name: 'weft_proxy_snapshot_updates_total', help: 'Proxy snapshots applied.', registers });
    this.leafExpiry = new Gauge({ name: 'weft_proxy_leaf_expiry_timestamp_seconds', help: 'When the current leaf certificate expires (Unix seconds).', registers });
    const metrics = this;
    new Gauge({
      name: 'weft_proxy_active_connections',
      help: 'Connections open now, by listener.',
      labelNames: ['listener'],
      registers,
      collect() {
        this.reset();
        for (const c of metrics.live) this.inc({ listener: c.listener });
      },
    });
    new Counter({
      name: 'weft_proxy_bytes_received_total',
      help: 'Application bytes received from downstream callers, by listener.',
      labelNames: ['listener'],
      registers,
      collect() {
        this.reset();
        for (const [listener, n] of metrics.totals('in')) this.inc({ listener }, n);
      },
    });
    new Counter({
      name: 'weft_proxy_bytes_sent_total',
      help: 'Application bytes sent back to downstream callers, by listener.',
      labelNames: ['listener'],
      registers,
      collect() {
        this.reset();
        for (const [listener, n] of metrics.totals('out')) this.inc({ listener }, n);
      },
    });
  }

  /** Counts a connection from now until its plain socket closes. */
  track(c: LiveConnection): void {
    this.connections.inc({ listener: c.listener });
    this.live.add(c);
    c.plain.once('close', () => {
      this.live.delete(c);
      const { received, sent } = bytesOf(c);
      this.closedIn.set(c.listener, (this.closedIn.get(c.listener) ?? 0) + received);
      this.closedOut.set(c.listener, (this.closedOut.get(c.listener) ?? 0) + sent);
    });
  }

  private totals(dir: 'in' | 'out'): Map<ListenerLabel, number> {
    const out = new Map(dir === 'in' ? this.closedIn : this.closedOut);
    for (const c of this.live) {
      const b = bytesOf(c);
      out.set(c.listener, (out.get(c.listener) ?? 0) + (dir === 'in' ? b.received : b.sent));
    }
    return out;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

function bytesOf(c: LiveConnection): { received: number; sent: number } {
  const read = c.plain.bytesRead ?? 0;
  const written = c.plain.bytesWritten ?? 0;
  return c.plainIsDownstream ? { received: read, sent: written } : { received: written, sent: read };
}
