import type { Logger } from 'pino';
import { connectRuntime } from '../connect/index.js';
import type { ApiContext } from '../http/index.js';
import { parseDuration } from '../lib/duration.js';
import { subsystem } from '../lib/log.js';
import { sessionRuntime } from '../sessions/index.js';
import { SESSIONS, sessionList, tableTopic } from '../state/index.js';
import type { EtcdBackend } from '../state/backend/etcd.js';
import type { Leadership } from './leadership.js';

export interface LeaderWorkOptions {
  ctx: ApiContext;
  leadership: Leadership;
  backend: EtcdBackend;
  log: Logger;
}

/**
 * The work only the leader of servers on a shared store does, started when this server
 * wins the election and stopped when it loses it:
 *
 * - session TTL expiry: every TTL session gets a fresh 2×TTL from the takeover (as Consul's
 *   new leader gives them), and sessions created through other servers are armed as they
 *   appear (their renewals are forwarded here by the other servers);
 * - the Connect CA: set up on a fresh cluster, and rotated-out roots pruned;
 * - log compaction: snapshot the tables into etcd and truncate the log past a threshold.
 *
 * Member failure detection (serfHealth) runs in the cluster server, gated on leadership.
 * Each job also checks leadership at the moment it writes, so a stale leader does nothing.
 */
export class LeaderWork {
  private readonly known = new Set<string>();
  private unsubscribe: () => void = () => {};
  private compactTimer: NodeJS.Timeout | undefined;
  private compacting = false;
  private readonly onLeader = () => this.takeOver();
  private readonly onFollower = () => this.standDown();

  constructor(private readonly opts: LeaderWorkOptions) {}

  start(): void {
    this.opts.leadership.on('leader', this.onLeader);
    this.opts.leadership.on('follower', this.onFollower);
    if (this.opts.leadership.isLeader()) this.takeOver();
  }

  stop(): void {
    this.opts.leadership.off('leader', this.onLeader);
    this.opts.leadership.off('follower', this.onFollower);
    this.standDown();
  }

  private isLeader = (): boolean => this.opts.ctx.agent.isLeader();

  private takeOver(): void {
    const { ctx, log } = this.opts;
    log.info('running leader-only work: session TTLs, member failure detection, the Connect CA, log compaction');
    const timers = sessionRuntime(ctx.store, this.isLeader, ctx.log).timers;
    for (const s of sessionList(ctx.store, null).sessions) {
      timers.reset(s);
      this.known.add(s.ID);
    }
    this.unsubscribe = ctx.store.hub.subscribe([tableTopic(SESSIONS)], () => this.armNewSessions());
    connectRuntime(ctx.store, { config: ctx.agent.config, isLeader: this.isLeader, log: subsystem(ctx.log, 'connect') })?.ca.start();
    const every = Math.max(1000, parseDuration(ctx.agent.config.store.snapshotInterval));
    this.compactTimer = setInterval(() => void this.maybeCompact(), every);
    this.compactTimer.unref();
  }

  private standDown(): void {
    this.unsubscribe();
    this.unsubscribe = () => {};
    clearInterval(this.compactTimer);
    this.known.clear();
  }

  /** Sessions created through other servers since the takeover get their timers here. */
  private armNewSessions(): void {
    const { ctx } = this.opts;
    const timers = sessionRuntime(ctx.store, this.isLeader, ctx.log).timers;
    const present = new Set<string>();
    for (const s of sessionList(ctx.store, null).sessions) {
      present.add(s.ID);
      if (this.known.has(s.ID)) continue;
      this.known.add(s.ID);
      timers.reset(s);
    }
    for (const id of this.known) if (!present.has(id)) this.known.delete(id);
  }

  private async maybeCompact(): Promise<void> {
    const { ctx, backend, log } = this.opts;
    if (this.compacting || !this.isLeader() || backend.entriesSinceSnapshot < ctx.agent.config.store.snapshotThreshold) return;
    this.compacting = true;
    const started = Date.now();
    try {
      const r = await backend.compact(() => ctx.store.snapshot());
      if (r) {
        log.info(
          { revision: r.pointer.Rev, index: r.pointer.Index, bytes: r.pointer.Size, truncated: r.truncated, compacted_to: r.compactedTo, ms: Date.now() - started },
          'snapshot written to etcd; log truncated',
        );
      }
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'log compaction failed; will retry');
    } finally {
      this.compacting = false;
    }
  }
}
