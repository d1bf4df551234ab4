import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { ApiClient } from '../../api/index.js';
import type { RuntimeConfig } from '../../config/index.js';
import type { Member } from '../../http/index.js';
import { parseDuration } from '../../lib/duration.js';
import { WeftError, isWeftError } from '../../lib/errors.js';
import { allRules, PolicyAuthorizer, tokenFromWire, type ResolvedToken } from '../../acl/index.js';
import type { CatalogSink, NodeSyncResult } from '../anti-entropy.js';
import type { Membership } from '../membership.js';
import { ClusterClient } from './client.js';
import { Forwarder, answeredLocally } from './forward.js';
import { CLUSTER_ROUTES } from './protocol.js';
import { ClusterTransport } from './transport.js';

const SYNC_TIMEOUT_MS = 10_000;

export interface ClientRoleOptions {
  config: RuntimeConfig;
  membership: Membership;
  self: () => Member;
  log: Logger;
  onJoined: () => void;
  onDigest: (digest: string) => void;
  /** The token this agent acts with toward the servers (`acl.tokens.agent`, else `default`). */
  agentToken?: () => string;
  /** The agent's `default` token, for forwarded requests that carry none. */
  defaultToken?: () => string;
}

/**
 * A client agent's part in the cluster: it joins and heartbeats to a server, syncs its
 * node there, forwards every non-agent API request there, and asks it to force-leave.
 */
export class ClientRole {
  private readonly client: ClusterClient;
  private readonly forwarder: Forwarder;
  private readonly rpc = new Map<string, ApiClient>();
  private readonly transport: ClusterTransport;

  constructor(private readonly opts: ClientRoleOptions) {
    const { config, log } = opts;
    this.transport = new ClusterTransport(config);
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
      connect: (addr) => this.transport.client(addr),
    });
    this.forwarder = new Forwarder({ targets: () => this.client.serverAddresses(), nodeName: config.nodeName, log, transport: this.transport, defaultToken: opts.defaultToken });
  }

  sink(): CatalogSink | null {
    const servers = this.client.serverAddresses();
    if (servers.length === 0) return null;
    return {
      // The first server that answers takes the sync; any server can write it.
      sync: async (req) => {
        let last: unknown;
        for (const addr of servers) {
          try {
            const token = this.opts.agentToken?.();
            return (await this.api(addr).put<NodeSyncResult>(CLUSTER_ROUTES.sync, { body: req, token, signal: AbortSignal.timeout(SYNC_TIMEOUT_MS) })).body;
          } catch (err) {
            if (isWeftError(err) && err.code !== 'UNAVAILABLE') throw err;
            last = err;
          }
        }
        throw last;
      },
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

  /** Asked of a server, which holds the membership, with the token of the request that asked. */
  async forceLeave(node: string, prune: boolean, token?: string): Promise<void> {
    const addr = this.client.rpcAddress();
    if (!addr) throw new WeftError('INTERNAL', 'No known Consul servers');
    await this.api(addr).put(`/v1/agent/force-leave/${encodeURIComponent(node)}`, { query: { prune: prune || undefined }, token });
  }

  /**
   * A token as a server resolves it, for this agent's own ACL checks: null when the server
   * knows no such secret. Throws when no server answers (the caller applies `down_policy`).
   */
  async resolveToken(secret: string): Promise<ResolvedToken | null> {
    const servers = this.client.serverAddresses();
    if (servers.length === 0) throw new WeftError('UNAVAILABLE', 'No known Consul servers');
    let last: unknown;
    for (const addr of servers) {
      try {
        const r = await this.api(addr).put<unknown>(CLUSTER_ROUTES.aclResolve, { body: { SecretID: secret }, accept: [401, 403], signal: AbortSignal.timeout(SYNC_TIMEOUT_MS) });
        if (r.status === 403) return null;
        // A server without ACLs enforces nothing; neither does this agent on its behalf.
        if (r.status === 401) return { accessorId: '', anonymous: false, authorizer: PolicyAuthorizer.compile([allRules('write')]) };
        return tokenFromWire(r.body);
      } catch (err) {
        if (isWeftError(err) && err.code !== 'UNAVAILABLE') throw err;
        last = err;
      }
    }
    throw last;
  }

  leave(): Promise<void> {
    return this.client.leave();
  }

  async stop(): Promise<void> {
    this.client.stop();
    this.forwarder.close();
    this.transport.close();
    for (const c of this.rpc.values()) c.close();
    this.rpc.clear();
  }

  /** A client for one server, acting with `token` (the agent's own checks and lookups). */
  serverClient(addr: string, opts: { token?: string | (() => string); stale?: boolean } = {}): ApiClient {
    return this.transport.client(addr, opts);
  }

  private api(addr: string): ApiClient {
    let c = this.rpc.get(addr);
    if (!c) {
      c = this.transport.client(addr);
      this.rpc.set(addr, c);
    }
    return c;
  }
}
