import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../../config/index.js';
import { createApiServer, routes, type ApiContext, type Member } from '../../http/index.js';
import { WeftError } from '../../lib/errors.js';
import type { NodeInput, StateStore } from '../../state/index.js';
import type { CatalogSink } from '../anti-entropy.js';
import { listen } from '../listen.js';
import type { Membership } from '../membership.js';
import { consulService } from './catalog-entries.js';
import { applyNodeSync } from './catalog-sync.js';
import { MemberSnapshot } from './member-snapshot.js';
import { HEARTBEAT_INTERVAL_MS } from './protocol.js';
import { membershipRoutes, rpcRoutes } from './routes.js';
import { ClusterServer } from './server.js';

export interface ServerRoleOptions {
  config: RuntimeConfig;
  store: StateStore;
  membership: Membership;
  advertise: string;
  log: Logger;
  /** Called every heartbeat interval with the server's fingerprint of its own node. */
  onDigest: (digest: string) => void;
}

/**
 * A server agent's part in the cluster: it keeps membership, registers itself in its own
 * store, syncs its own node directly into the store, and listens on the serf LAN port
 * (membership) and the server RPC port (the API for clients, and their syncs).
 */
export class ServerRole {
  readonly cluster: ClusterServer;
  private readonly listeners: Server[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ServerRoleOptions) {
    const { config } = opts;
    this.cluster = new ClusterServer({
      store: opts.store,
      membership: opts.membership,
      selfName: config.nodeName,
      datacenter: config.datacenter,
      rpcAddress: this.leaderAddress(),
      snapshot: !config.dev && config.dataDir ? new MemberSnapshot(config.dataDir) : null,
      log: opts.log,
    });
  }

  sink(): CatalogSink {
    return { sync: (req) => applyNodeSync(this.opts.store, req) };
  }

  /** Membership and the server's own node in its catalog. */
  async start(self: NodeInput): Promise<void> {
    const { config } = this.opts;
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
    const { config, log } = this.opts;
    if (config.dev) return;
    const maxBody = config.limits.requestMaxBodyBytes;
    await this.open(createApiServer(ctx, membershipRoutes(this.cluster), { maxBody }), config.ports.serfLan, 'cluster (serf LAN) listener');
    await this.open(createApiServer(ctx, [...routes(ctx), ...rpcRoutes(this.opts.store, this.cluster)], { maxBody }), config.ports.server, 'server RPC listener');
    log.info(`cluster listening on ${config.bindAddr}:${config.ports.serfLan} (members) and ${config.bindAddr}:${config.ports.server} (server RPC)`);
  }

  leaderAddress(): string {
    const { advertise, config } = this.opts;
    return `${advertise.includes(':') ? `[${advertise}]` : advertise}:${config.ports.server}`;
  }

  peers(): string[] {
    return [this.leaderAddress()];
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
    return this.cluster.forceLeave(node, prune);
  }

  /** The server leaving: marked left in its own list (its catalog entries stay, as no other server would remove them). */
  async leave(): Promise<void> {
    this.opts.membership.setStatus(this.opts.config.nodeName, 'left');
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
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
  }

  private async open(server: Server, port: number, what: string): Promise<void> {
    if (port <= 0) return;
    await listen(server, this.opts.config.bindAddr, port, what);
    this.listeners.push(server);
  }
}
