import { EventEmitter } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { LoadResult, RuntimeConfig } from '../config/index.js';
import { parseDuration } from '../lib/duration.js';
import { subsystem } from '../lib/log.js';
import { createApiServer, routes, type AgentView, type ApiContext, type Member, type RaftServer } from '../http/index.js';
import { AclAuthorizer, startAcl, type AgentTokenKind } from '../acl/index.js';
import type { Authorizer } from '../http/authorizer.js';
import { serverTlsOptions, tlsSettings } from '../tls/index.js';
import { StateStore, allTables, type NodeInput } from '../state/index.js';
import { Metrics } from '../telemetry/metrics.js';
import { advertiseAddress } from './advertise.js';
import { claimDataDir, nodeIdFor } from './data-dir.js';
import { ReservedHttp } from './listen.js';
import { stopSessionRuntime } from '../sessions/index.js';
import { Membership, selfMember } from './membership.js';
import { agentNode } from './cluster/catalog-entries.js';
import { ClientRole } from './cluster/client-role.js';
import { remoteAliasSource, storeAliasSource } from './cluster/remote-alias.js';
import { ServerRole, type SharedStore } from './cluster/server-role.js';
import { storeBackend } from './store-backend.js';
import { LocalAgent } from './local/index.js';
import { startDnsServer, type DnsServer } from '../dns/index.js';
import { createUiHandler } from '../ui-server/index.js';

export interface AgentOptions {
  /** Re-reads the config files and flags the agent started with (`weft reload`, SIGHUP). */
  reloadConfig?: () => Promise<LoadResult>;
}

/**
 * One agent process, a server or a client. Both own their node's services and checks
 * (`local`) and keep the catalog in step; a server holds the store and the membership, a
 * client joins a server, forwards every non-agent request to it and syncs its node there.
 * Emits 'stopped' once everything is closed.
 */
export class Agent extends EventEmitter implements AgentView {
  readonly startedAt = new Date();
  readonly nodeId: string;
  readonly store: StateStore;
  readonly metrics: Metrics;
  private readonly advertise: string;
  private readonly membership: Membership;
  private readonly role: ServerRole | ClientRole;
  /** The agent's own services and checks; the agent endpoints reach it through `ctx.agent.local`. */
  readonly local: LocalAgent;
  private nodeMeta: Record<string, string>;
  private left = false;
  private readonly servers: Server[] = [];
  private readonly log: Logger;
  private releaseDataDir: () => void = () => {};
  private stopping: Promise<void> | null = null;
  private dns: DnsServer | null = null;
  private authz: Authorizer | null = null;
  private readonly shared: SharedStore | null;

  constructor(
    readonly config: RuntimeConfig,
    rootLog: Logger,
    opts: AgentOptions = {},
  ) {
    super();
    this.log = subsystem(rootLog, 'agent');
    this.nodeId = nodeIdFor(config.dev ? '' : config.dataDir, config.nodeId);
    this.advertise = advertiseAddress(config);
    this.nodeMeta = config.nodeMeta;
    this.membership = new Membership(selfMember(config, this.nodeId, this.advertise));
    // A client's store stays empty: it answers only agent endpoints and forwards the rest.
    const { backend, shared } = storeBackend(config, subsystem(rootLog, 'state'));
    this.shared = shared;
    this.store = new StateStore(backend, allTables);
    this.metrics = new Metrics(() => this.store.index);
    const clusterLog = subsystem(rootLog, 'cluster');
    const onDigest = (digest: string) => this.local.antiEntropy.noteDigest(digest);
    this.role = config.server
      ? new ServerRole({
          config,
          store: this.store,
          membership: this.membership,
          advertise: this.advertise,
          nodeId: this.nodeId,
          log: clusterLog,
          onDigest,
          self: () => this.membership.get(config.nodeName)?.member ?? selfMember(config, this.nodeId, this.advertise),
          shared,
        })
      : new ClientRole({
          config,
          membership: this.membership,
          self: () => this.membership.get(config.nodeName)?.member ?? selfMember(config, this.nodeId, this.advertise),
          log: clusterLog,
          onJoined: () => void this.local.antiEntropy.syncSoon(),
          onDigest,
          agentToken: () => this.aclToken('agent') || this.aclToken('default'),
          defaultToken: () => this.aclToken('default'),
        });
    const role = this.role;
    this.local = new LocalAgent({
      config,
      dataDir: config.dev || !config.dataDir ? null : config.dataDir,
      node: () => this.node(),
      sink: () => role.sink(),
      clusterSize: () => role.clusterSize(),
      cluster: { join: (a) => role.join(a), forceLeave: (n, p, t) => role.forceLeave(n, p, t) },
      reloadConfig: opts.reloadConfig,
      onReload: (c) => (this.nodeMeta = c.nodeMeta),
      remoteAlias:
        role instanceof ServerRole
          ? storeAliasSource(this.store)
          : remoteAliasSource(() => role.leaderAddress() || null, clusterLog, (addr) => role.serverClient(addr, { token: () => this.aclToken('agent') || this.aclToken('default') })),
      log: subsystem(rootLog, 'checks'),
    });
  }

  /** This agent's node as the catalog holds it. */
  node(): NodeInput {
    return agentNode({ ...this.config, nodeMeta: this.nodeMeta }, this.nodeId, this.advertise);
  }

  async start(): Promise<void> {
    const { config } = this;
    if (!config.dev && config.dataDir) this.releaseDataDir = claimDataDir(config.dataDir);
    try {
      // Ports first: a taken port should stop the agent before it generates keys or writes anything.
      const reserved: ReservedHttp[] = [];
      if (config.ports.http > 0) {
        for (const host of config.clientAddr) {
          const r = await ReservedHttp.bind(host, config.ports.http, 'HTTP server');
          reserved.push(r);
          this.servers.push(r.server);
        }
      }
      if (config.ports.https > 0) {
        const tls = serverTlsOptions(tlsSettings(config).https, 'The HTTPS API');
        for (const host of config.clientAddr) {
          const r = await ReservedHttp.bind(host, config.ports.https, 'HTTPS server', tls);
          reserved.push(r);
          this.servers.push(r.server);
        }
      }
      await this.store.open();
      const ctx: ApiContext = {
        store: this.store,
        agent: this,
        authz: (this.authz = await startAcl({
          config,
          store: this.store,
          log: subsystem(this.log, 'acl'),
          server: config.server,
          fetchToken: this.role instanceof ClientRole ? (secret) => (this.role as ClientRole).resolveToken(secret) : undefined,
        })),
        metrics: this.metrics,
        log: subsystem(this.log, 'http'),
        limits: { defaultWaitMs: parseDuration(config.defaultQueryTime), maxWaitMs: parseDuration(config.maxQueryTime), waiting: this.metrics.blockingQueries },
      };
      // A new agent or default token may unblock what the old one could not sync.
      if (this.authz instanceof AclAuthorizer) this.authz.agentTokens.onChange((kind) => (kind === 'agent' || kind === 'default') && void this.local.antiEntropy.syncSoon());
      if (this.role instanceof ServerRole) await this.role.start(this.node());
      this.local.start();
      // A server's own node is in its catalog before the API answers; a client's follows its join.
      if (this.role instanceof ServerRole) await this.local.antiEntropy.syncSoon();
      for (const r of reserved) {
        const api = createApiServer(ctx, routes(ctx), { maxBody: config.limits.requestMaxBodyBytes, fallback: config.ui ? createUiHandler() : undefined });
        r.serve(this.role.wrapHttp(api));
      }
      if (this.role instanceof ServerRole) await this.role.listen(ctx);
      else this.role.start();
      const role = this.role;
      const dnsServer = role instanceof ClientRole ? () => role.leaderAddress() || null : undefined;
      this.dns = await startDnsServer(config, this.store, {
        advertise: this.advertise,
        log: subsystem(this.log, 'dns'),
        server: dnsServer,
        acl: { authz: ctx.authz, token: () => this.aclToken('dns') },
        connect: role instanceof ClientRole ? (addr) => role.serverClient(addr, { token: () => this.aclToken('dns') || this.aclToken('default'), stale: true }) : undefined,
      });
      if (config.pidFile) writeFileSync(config.pidFile, `${process.pid}\n`);
    } catch (err) {
      await this.shutdown();
      throw err;
    }
    this.log.info(
      { node: config.nodeName, datacenter: config.datacenter, server: config.server, store: this.store.backendName, index: this.store.index },
      'agent started',
    );
    for (const host of config.clientAddr) if (config.ports.http > 0) this.log.info(`HTTP API listening on http://${host}:${config.ports.http}`);
    for (const host of config.clientAddr) if (config.ports.https > 0) this.log.info(`HTTPS API listening on https://${host}:${config.ports.https}`);
  }

  /** One of the agent's own ACL tokens (set in config or with `weft acl set-agent-token`); '' without ACLs. */
  private aclToken(kind: AgentTokenKind): string {
    return this.authz instanceof AclAuthorizer ? this.authz.agentTokens.get(kind) : '';
  }

  /** The ports actually bound (useful when a test asks for port 0). */
  httpAddresses(): string[] {
    return this.servers.map((s) => {
      const a = s.address();
      return typeof a === 'string' ? a : `${a?.address}:${a?.port}`;
    });
  }

  leaderAddress(): string {
    return this.role.leaderAddress();
  }

  peers(): string[] {
    return this.role.peers();
  }

  isLeader(): boolean {
    return this.role instanceof ServerRole && this.role.isLeader();
  }

  /** A client: since its server last answered. A server: how far its tables may trail the shared log. */
  lastContactMs(): number {
    return this.role instanceof ClientRole ? this.role.lastContactMs() : this.store.lagMs();
  }

  raftServers(): RaftServer[] {
    return this.role instanceof ServerRole ? this.role.raftServers() : [];
  }

  members(): Member[] {
    return this.role.members();
  }

  /** `weft leave`: leave the cluster (a client's node leaves the catalog), then stop. */
  async leave(): Promise<void> {
    this.log.info('graceful leave requested');
    await this.leaveCluster();
    // Answer the request first, then stop.
    setImmediate(() => void this.stop());
  }

  /** `weft reload`, SIGHUP: re-reads the config files' services and checks. */
  async reload(): Promise<void> {
    await this.local.reload();
  }

  /** Graceful stop: no new requests, blocking queries answered, store flushed. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown().then(() => {
      this.log.info('agent stopped');
      this.emit('stopped');
    });
    return this.stopping;
  }

  private async leaveCluster(): Promise<void> {
    if (this.left) return;
    this.left = true;
    // Nothing may re-register the node once the server has removed it.
    this.local.stop();
    await this.role.leave();
  }

  private async shutdown(): Promise<void> {
    // Clients leave on terminate (Consul's leave_on_terminate default for clients); servers just stop.
    if (this.role instanceof ClientRole) await this.leaveCluster().catch((err) => this.log.warn({ err }, 'leave failed'));
    this.local.stop();
    await this.role.stop().catch((err) => this.log.error({ err }, 'stopping cluster membership failed'));
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            // Blocking queries would hold close() for minutes; end them now.
            s.closeAllConnections();
          }),
      ),
    );
    await this.dns?.close();
    stopSessionRuntime(this.store);
    await this.store.close().catch((err) => this.log.error({ err }, 'closing the store failed'));
    this.shared?.client.close();
    if (this.config.pidFile) rmSync(this.config.pidFile, { force: true });
    this.releaseDataDir();
  }
}
