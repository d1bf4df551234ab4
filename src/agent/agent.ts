import { EventEmitter } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/index.js';
import { parseDuration } from '../lib/duration.js';
import { subsystem } from '../lib/log.js';
import { allowAll, createApiServer, routes, type AgentView, type ApiContext, type Member } from '../http/index.js';
import { LmdbBackend, MemoryBackend, StateStore, allTables } from '../state/index.js';
import { Metrics } from '../telemetry/metrics.js';
import { advertiseAddress } from './advertise.js';
import { claimDataDir, nodeIdFor } from './data-dir.js';
import { listen } from './listen.js';
import { Membership } from './membership.js';

/**
 * One agent process: in this release always a server (dev or durable) that serves the
 * HTTP API from its own store. Emits 'stopped' once everything is closed.
 */
export class Agent extends EventEmitter implements AgentView {
  readonly startedAt = new Date();
  readonly nodeId: string;
  readonly store: StateStore;
  readonly metrics: Metrics;
  private readonly advertise: string;
  private readonly membership: Membership;
  private readonly servers: Server[] = [];
  private readonly log: Logger;
  private releaseDataDir: () => void = () => {};
  private stopping: Promise<void> | null = null;

  constructor(
    readonly config: RuntimeConfig,
    rootLog: Logger,
  ) {
    super();
    this.log = subsystem(rootLog, 'agent');
    this.nodeId = nodeIdFor(config.dev ? '' : config.dataDir, config.nodeId);
    this.advertise = advertiseAddress(config);
    this.membership = new Membership(config, this.nodeId, this.advertise);
    const backend = config.dev || !config.dataDir ? new MemoryBackend() : new LmdbBackend(join(config.dataDir, 'state'));
    this.store = new StateStore(backend, allTables);
    this.metrics = new Metrics(() => this.store.index);
  }

  async start(): Promise<void> {
    const { config } = this;
    if (!config.dev && config.dataDir) this.releaseDataDir = claimDataDir(config.dataDir);
    try {
      await this.store.open();
      const ctx: ApiContext = {
        store: this.store,
        agent: this,
        authz: allowAll,
        metrics: this.metrics,
        log: subsystem(this.log, 'http'),
        limits: { defaultWaitMs: parseDuration(config.defaultQueryTime), maxWaitMs: parseDuration(config.maxQueryTime) },
      };
      if (config.ports.http > 0) {
        for (const host of config.clientAddr) {
          const server = createApiServer(ctx, routes(ctx), { maxBody: config.limits.requestMaxBodyBytes });
          await listen(server, host, config.ports.http, 'HTTP server');
          this.servers.push(server);
        }
      }
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
  }

  /** The ports actually bound (useful when a test asks for port 0). */
  httpAddresses(): string[] {
    return this.servers.map((s) => {
      const a = s.address();
      return typeof a === 'string' ? a : `${a?.address}:${a?.port}`;
    });
  }

  leaderAddress(): string {
    return this.config.server ? `${this.advertise}:${this.config.ports.server}` : '';
  }

  peers(): string[] {
    return this.config.server ? [this.leaderAddress()] : [];
  }

  isLeader(): boolean {
    return this.config.server;
  }

  lastContactMs(): number {
    return 0;
  }

  members(): Member[] {
    return this.membership.list();
  }

  async leave(): Promise<void> {
    this.log.info('graceful leave requested');
    this.membership.setStatus(this.config.nodeName, 'left');
    // Answer the request first, then stop.
    setImmediate(() => void this.stop());
  }

  /** Graceful stop: no new requests, blocking queries answered, store flushed. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown().then(() => {
      this.log.info('agent stopped');
      this.emit('stopped');
    });
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
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
    await this.store.close().catch((err) => this.log.error({ err }, 'closing the store failed'));
    if (this.config.pidFile) rmSync(this.config.pidFile, { force: true });
    this.releaseDataDir();
  }
}
