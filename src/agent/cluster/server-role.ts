import type { Server } from 'node:http';
import type { Etcd3 } from 'etcd3';
import type { TlsOptions } from 'node:tls';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../../config/index.js';
import { createApiServer, routes, type ApiContext, type Member, type RaftServer } from '../../http/index.js';
import { WeftError } from '../../lib/errors.js';
import type { NodeInput, StateStore } from '../../state/index.js';
import type { EtcdBackend } from '../../state/backend/etcd.js';
import type { CatalogSink } from '../anti-entropy.js';
import { LeaderWork } from '../leader-work.js';
import { Leadership } from '../leadership.js';
import { listen } from '../listen.js';
import type { Membership } from '../membership.js';
import { consulService } from './catalog-entries.js';
import { applyNodeSync } from './catalog-sync.js';
import { MemberSnapshot } from './member-snapshot.js';
import { HEARTBEAT_INTERVAL_MS } from './protocol.js';
import { membershipRoutes, rpcRoutes, type MembershipHandler } from './routes.js';
import { ServerHa } from './server-ha.js';
import { apiListener, serverTlsOptions, servesTls, tlsSettings, type ApiListener } from '../../tls/index.js';
import { ClusterServer } from './server.js';

/** A server on a shared etcd store: how it reaches etcd for leader election. */
export interface SharedStore {
  client: Etcd3;
  backend: EtcdBackend;
}

export interface ServerRoleOptions {
  config: RuntimeConfig;
  store: StateStore;
  membership: Membership;
  advertise: string;
  nodeId: string;
  log: Logger;
  /** Called every heartbeat interval with the server's fingerprint of its own node. */
  onDigest: (digest: string) => void;
  /** This server's member entry as it heartbeats it to the leader. */
  self: () => Member;
  /** Set when the store is shared with other servers (etcd); null for the embedded store. */
  shared: SharedStore | null;
}

/**
 * A server agent's part in the cluster: it keeps membership, registers itself in its own
 * store, syncs its own node directly into the store, and listens on the serf LAN port
 * (membership) and the server RPC port (the API for clients, and their syncs). On a shared
 * store it also takes part in leader election; leader-only work runs on the leader alone.
 */
export class ServerRole {
  readonly cluster: ClusterServer;
  private readonly listeners: ApiListener[] = [];
  private readonly leadership: Leadership | null;
  private readonly ha: ServerHa | null;
  private leaderWork: LeaderWork | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ServerRoleOptions) {
    const { config, shared } = opts;
    this.leadership = shared
      ? new Leadership({
          client: shared.client,
          keys: shared.backend.keys,
          self: { Node: config.nodeName, ID: opts.nodeId, Address: this.ownAddress(), Serf: hostPort(opts.advertise, config.ports.serfLan) },
          log: opts.log,
        })
      : null;
    this.cluster = new ClusterServer({
      store: opts.store,
      membership: opts.membership,
      selfName: config.nodeName,
      datacenter: config.datacenter,
      servers: () => this.serverAddresses(),
      isLeader: () => this.isLeader(),
      snapshot: !config.dev && config.dataDir ? new MemberSnapshot(config.dataDir) : null,
      log: opts.log,
    });
    this.ha = this.leadership
      ? new ServerHa({ config, leadership: this.leadership, cluster: this.cluster, membership: opts.membership, self: opts.self, selfName: config.nodeName, log: opts.log })
      : null;
  }

  sink(): CatalogSink {
    return { sync: (req) => applyNodeSync(this.opts.store, req) };
  }

  /** Membership, leader election (shared store) and the server's own node in its catalog. */
  async start(self: NodeInput): Promise<void> {
    const { config } = this.opts;
    await this.leadership?.start();
    this.ha?.start();
    this.cluster.start();
    await this.cluster.registerSelf(self, consulService(config));
    this.timer = setInterval(() => this.opts.onDigest(this.cluster.digest(config.nodeName)), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Opens the serf LAN port (membership) and the server RPC port (the API for clients).
   * A `-dev` agent is a cluster of one and opens neither: several run side by side on one
   * machine, and none may take the ports a real server needs.
   */
  async listen(ctx: ApiContext): Promise<void> {
    const { config, log, shared } = this.opts;
    if (this.leadership && shared) {
      this.leaderWork = new LeaderWork({ ctx, leadership: this.leadership, backend: shared.backend, log });
      this.leaderWork.start();
    }
    if (config.dev) return;
    const maxBody = config.limits.requestMaxBodyBytes;
    const membership: MembershipHandler = this.ha ?? { heartbeat: (r) => this.cluster.heartbeat(r), leave: (n) => this.cluster.leave(n) };
    // With a certificate, both ports speak TLS (and accept plain HTTP too unless verify_incoming).
    const tls = clusterTls(config);
    await this.open(apiListener(createApiServer(ctx, membershipRoutes(membership), { maxBody }), tls), config.ports.serfLan, 'cluster (serf LAN) listener');
    const rpc = createApiServer(ctx, [...routes(ctx), ...rpcRoutes(this.opts.store, this.cluster)], { maxBody });
    await this.open(apiListener(this.wrapHttp(rpc), tls), config.ports.server, 'server RPC listener');
    log.info(`cluster listening on ${config.bindAddr}:${config.ports.serfLan} (members) and ${config.bindAddr}:${config.ports.server} (server RPC)`);
  }

  /** The API server as served: on a shared store, session renewals are answered by the leader. */
  wrapHttp(api: Server): Server {
    return this.ha ? this.ha.wrapHttp(api) : api;
  }

  isLeader(): boolean {
    return this.leadership ? this.leadership.isLeader() : true;
  }

  leaderAddress(): string {
    return this.leadership ? (this.leadership.leader()?.Address ?? '') : this.ownAddress();
  }

  peers(): string[] {
    return this.leadership ? this.leadership.servers().map((s) => s.Address) : [this.ownAddress()];
  }

  /** The servers sharing the state, as `/v1/operator/raft/configuration` lists them. */
  raftServers(): RaftServer[] {
    const { config, nodeId } = this.opts;
    if (!this.leadership) return [{ ID: nodeId, Node: config.nodeName, Address: this.ownAddress(), Leader: true, Voter: true, ProtocolVersion: '3' }];
    const leader = this.leadership.leader();
    return this.leadership.servers().map((s) => ({ ID: s.ID, Node: s.Node, Address: s.Address, Leader: s.Node === leader?.Node, Voter: true, ProtocolVersion: '3' }));
  }

  members(): Member[] {
    return this.opts.membership.list();
  }

  clusterSize(): number {
    return this.opts.membership.entries().length;
  }

  async join(address: string): Promise<void> {
    throw new WeftError('BAD_REQUEST', `cannot join ${address}: Weft servers share state through their store, only client agents join a server`);
  }

  forceLeave(node: string, prune: boolean): Promise<void> {
    return this.ha ? this.ha.forceLeave(node, prune) : this.cluster.forceLeave(node, prune);
  }

  /** The server leaving: marked left in its own list (its catalog entries stay, as no other server would remove them). */
  async leave(): Promise<void> {
    this.opts.membership.setStatus(this.opts.config.nodeName, 'left');
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.leaderWork?.stop();
    this.ha?.stop();
    await Promise.all(
      this.listeners.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
    await this.cluster.stop();
    // Last: revoking the lease hands leadership over at once.
    await this.leadership?.stop();
  }

  /** Server RPC addresses to hand members: this server first, then the others. */
  private serverAddresses(): string[] {
    const own = this.ownAddress();
    return [own, ...this.peers().filter((a) => a !== own)];
  }

  private ownAddress(): string {
    return hostPort(this.opts.advertise, this.opts.config.ports.server);
  }

  private async open(server: ApiListener, port: number, what: string): Promise<void> {
    if (port <= 0) return;
    await listen(server, this.opts.config.bindAddr, port, what);
    this.listeners.push(server);
  }
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The cluster ports' TLS: the internal RPC certificate, when one is configured. */
function clusterTls(config: RuntimeConfig): TlsOptions | null {
  const rpc = tlsSettings(config).internalRpc;
  return servesTls(rpc) ? serverTlsOptions(rpc, 'The server RPC port') : null;
}
