import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { ApiClient } from '../../api/index.js';
import type { RuntimeConfig } from '../../config/index.js';
import type { Member } from '../../http/index.js';
import { parseDuration } from '../../lib/duration.js';
import { WeftError } from '../../lib/errors.js';
import type { CatalogSink, NodeSyncResult } from '../anti-entropy.js';
import type { Membership } from '../membership.js';
import { ClusterClient } from './client.js';
import { Forwarder, answeredLocally } from './forward.js';
import { CLUSTER_ROUTES } from './protocol.js';

const SYNC_TIMEOUT_MS = 10_000;

export interface ClientRoleOptions {
  config: RuntimeConfig;
  membership: Membership;
  self: () => Member;
  log: Logger;
  onJoined: () => void;
  onDigest: (digest: string) => void;
}

/**
 * A client agent's part in the cluster: it joins and heartbeats to a server, syncs its
 * node there, forwards every non-agent API request there, and asks it to force-leave.
 */
export class ClientRole {
  private readonly client: ClusterClient;
  private readonly forwarder: Forwarder;
  private readonly rpc = new Map<string, ApiClient>();

  constructor(private readonly opts: ClientRoleOptions) {
    const { config, log } = opts;
    this.client = new ClusterClient({
      self: opts.self,
      membership: opts.membership,
      selfName: config.nodeName,
      retryJoin: config.retryJoin,
      retryIntervalMs: parseDuration(config.retryInterval),
      retryMax: config.retryMax,
      serfPort: config.ports.serfLan,
      log,
      onJoined: opts.onJoined,
      onDigest: opts.onDigest,
    });
    this.forwarder = new Forwarder({ target: () => this.client.rpcAddress(), nodeName: config.nodeName, log });
  }

  sink(): CatalogSink | null {
    const addr = this.client.rpcAddress();
    if (!addr) return null;
    return {
      sync: async (req) =>
        (await this.api(addr).put<NodeSyncResult>(CLUSTER_ROUTES.sync, { body: req, signal: AbortSignal.timeout(SYNC_TIMEOUT_MS) })).body,
    };
  }

  start(): void {
    this.client.start();
  }

  /** The HTTP listener: agent-local paths go to the agent's own API server, the rest to a server. */
  wrapHttp(local: Server): Server {
    const outer = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://agent').pathname;
      if (answeredLocally(path)) local.emit('request', req, res);
      else this.forwarder.handle(req, res);
    });
    outer.keepAliveTimeout = local.keepAliveTimeout;
    outer.requestTimeout = local.requestTimeout;
    outer.headersTimeout = local.headersTimeout;
    return outer;
  }

  leaderAddress(): string {
    return this.client.rpcAddress() ?? '';
  }

  peers(): string[] {
    return this.client.serverAddresses();
  }

  lastContactMs(): number {
    const ms = this.client.sinceContactMs();
    return Number.isFinite(ms) ? ms : 0;
  }

  members(): Member[] {
    return this.opts.membership.list();
  }

  clusterSize(): number {
    return this.opts.membership.entries().length;
  }

  join(address: string): Promise<void> {
    return this.client.join(address);
  }

  /** Asked of a server, which holds the membership. */
  async forceLeave(node: string, prune: boolean): Promise<void> {
    const addr = this.client.rpcAddress();
    if (!addr) throw new WeftError('INTERNAL', 'No known Consul servers');
    await this.api(addr).put(`/v1/agent/force-leave/${encodeURIComponent(node)}`, { query: { prune: prune || undefined } });
  }

  leave(): Promise<void> {
    return this.client.leave();
  }

  async stop(): Promise<void> {
    this.client.stop();
    this.forwarder.close();
    for (const c of this.rpc.values()) c.close();
    this.rpc.clear();
  }

  private api(addr: string): ApiClient {
    let c = this.rpc.get(addr);
    if (!c) {
      c = new ApiClient({ address: `http://${addr}` });
      this.rpc.set(addr, c);
    }
    return c;
  }
}
