import type { Logger } from 'pino';
import type { CheckInput, CheckRow, NodeInput, ServiceInput } from '../state/index.js';
import type { LocalState } from './local/state.js';

/** One agent's node as the catalog should hold it: the whole of it, every time. */
export interface NodeSyncRequest {
  Node: NodeInput;
  Services: ServiceInput[];
  Checks: CheckInput[];
  /** The tokens services and checks were registered with (by ID), which the server checks their writes with; never stored. */
  Tokens?: SyncTokens;
}

export interface SyncTokens {
  Services: Record<string, string>;
  Checks: Record<string, string>;
}

export interface NodeSyncResult {
  /** Fingerprint of the node's catalog entries after the sync; a later different one means someone else changed them. */
  Digest: string;
  /** Catalog tags kept for services with EnableTagOverride. */
  TagOverrides: Record<string, string[]>;
}

/** Where the agent's node state goes: the server's own store, or a server over the network. */
export interface CatalogSink {
  sync(req: NodeSyncRequest): Promise<NodeSyncResult>;
}

/** Consul's anti-entropy interval for clusters up to 128 nodes; larger clusters scale it up. */
export const AE_INTERVAL_MS = 60_000;
/** Consul's wait before retrying a failed sync. */
export const AE_RETRY_MS = 15_000;

/** Consul's `ae.scaleFactor`: the full-sync period doubles each time the cluster doubles past 128 nodes. */
export function scaleFactor(nodes: number): number {
  return nodes <= 128 ? 1 : Math.ceil(Math.log2(nodes) - Math.log2(128)) + 1;
}

export interface AntiEntropyOptions {
  state: LocalState;
  node: () => NodeInput;
  /** The sink to use now; null while the agent knows no server. */
  sink: () => CatalogSink | null;
  clusterSize: () => number;
  log: Logger;
  /** The base full-sync period; Consul's minute unless a caller (a test of this module) says otherwise. */
  intervalMs?: number;
}

const checkInput = ({ Node: _n, ServiceName: _s, ServiceTags: _t, CreateIndex: _c, ModifyIndex: _m, ...rest }: CheckRow): CheckInput => rest;

/**
 * Keeps the catalog in step with the agent's local state. Every change triggers a sync
 * (changes within one tick coalesce into one); a full sync also runs every minute or so,
 * staggered and scaled with the cluster size as Consul does, and whenever the server's
 * fingerprint of the node differs from the one the last sync left — so a catalog edit that
 * contradicts the agent is repaired within a heartbeat. Every sync sends the node's whole
 * state; the server writes only what differs.
 */
export class AntiEntropy {
  private scheduled: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private failing = false;
  private digest = '';
  private readonly intervalMs: number;
  private readonly onChange = () => void this.syncSoon();

  constructor(private readonly opts: AntiEntropyOptions) {
    this.intervalMs = opts.intervalMs ?? AE_INTERVAL_MS;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.opts.state.on('changed', this.onChange);
    void this.syncSoon();
  }

  stop(): void {
    this.stopped = true;
    this.opts.state.off('changed', this.onChange);
    clearTimeout(this.timer);
  }

  /** The fingerprint the last successful sync left on the server. */
  get lastDigest(): string {
    return this.digest;
  }

  /** Resolves once a sync that started after this call has finished (it never rejects: failures are logged and retried). */
  syncSoon(): Promise<void> {
    if (this.scheduled) return this.scheduled;
    const after = this.running ?? Promise.resolve();
    this.scheduled = after
      .then(() => new Promise<void>((r) => setImmediate(r)))
      .then(() => {
        this.scheduled = null;
        this.running = this.runOnce().finally(() => (this.running = null));
        return this.running;
      });
    return this.scheduled;
  }

  /** The server's current fingerprint of this node (from a heartbeat): a mismatch means the catalog drifted. */
  noteDigest(serverDigest: string): void {
    if (!this.stopped && this.digest !== '' && serverDigest !== this.digest && !this.scheduled && !this.running) {
      this.opts.log.debug('catalog entries of this node changed elsewhere; syncing');
      void this.syncSoon();
    }
  }

  private async runOnce(): Promise<void> {
    if (this.stopped) return;
    const sink = this.opts.sink();
    if (!sink) return this.reschedule(false);
    const { services, checks } = this.opts.state.nodeState();
    try {
      const result = await sink.sync({ Node: this.opts.node(), Services: services, Checks: checks.map(checkInput), Tokens: this.tokens() });
      this.digest = result.Digest;
      this.opts.state.adoptTags(result.TagOverrides);
      if (this.failing) this.opts.log.info('synced node state with the catalog again');
      this.failing = false;
      this.reschedule(true);
    } catch (err) {
      if (!this.failing) this.opts.log.error({ err }, 'failed to sync remote state');
      this.failing = true;
      this.reschedule(false);
    }
  }

  /** Each registration's token, so the server can check it as Consul's per-service sync does. */
  private tokens(): SyncTokens {
    const out: SyncTokens = { Services: {}, Checks: {} };
    for (const s of this.opts.state.allServices()) if (s.token) out.Services[s.service.ID] = s.token;
    for (const c of this.opts.state.allChecks()) if (c.token) out.Checks[c.check.CheckID] = c.token;
    return out;
  }

  private reschedule(ok: boolean): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const base = ok ? this.intervalMs : Math.min(AE_RETRY_MS, this.intervalMs);
    const stagger = Math.random() * scaleFactor(this.opts.clusterSize()) * base;
    this.timer = setTimeout(() => void this.syncSoon(), base + stagger);
    this.timer.unref();
  }
}
