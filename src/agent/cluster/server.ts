import type { Logger } from 'pino';
import type { Member } from '../../http/index.js';
import { WeftError } from '../../lib/errors.js';
import { CHECKS, checkKey, SERF_CHECK_ID, type CheckRow, type NodeInput, type ServiceInput, type StateStore } from '../../state/index.js';
import { MemberStatus, type Membership } from '../membership.js';
import { nodeDigest } from './catalog-sync.js';
import { serfHealthCheck, nodeForMember } from './catalog-entries.js';
import type { MemberSnapshot } from './member-snapshot.js';
import {
  FAIL_AFTER_MS,
  RECONNECT_TIMEOUT_MS,
  SWEEP_INTERVAL_MS,
  TOMBSTONE_TIMEOUT_MS,
  type HeartbeatRequest,
  type HeartbeatResponse,
} from './protocol.js';

export interface ClusterServerOptions {
  store: StateStore;
  membership: Membership;
  selfName: string;
  datacenter: string;
  /** Server RPC addresses handed to clients, this server's first. */
  servers: () => string[];
  /** Failure detection and reaping run on the leader only (every server answers heartbeats). */
  isLeader: () => boolean;
  snapshot: MemberSnapshot | null;
  log: Logger;
}

/**
 * The server's side of membership (what serf and the leader's reconcile loop do in Consul):
 * heartbeats keep members alive, silence makes them failed and their node's serfHealth
 * critical, a leave removes their node from the catalog. Catalog writes are queued so
 * that transitions of one member apply in order.
 */
export class ClusterServer {
  private timer: NodeJS.Timeout | undefined;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: ClusterServerOptions) {}

  /** Restores the members saved before a restart; they have one failure timeout to check in again. */
  start(): void {
    for (const m of this.opts.snapshot?.load() ?? []) {
      if (m.Name.toLowerCase() !== this.opts.selfName.toLowerCase()) this.opts.membership.upsert(m);
    }
    this.timer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): Promise<unknown> {
    clearInterval(this.timer);
    this.saveSnapshot();
    return this.writes;
  }

  heartbeat(req: HeartbeatRequest): HeartbeatResponse {
    const { membership, datacenter, store } = this.opts;
    const m = this.validMember(req);
    const known = membership.get(m.Name);
    if (known && known.member.Status === MemberStatus.alive && known.member.Tags.id && m.Tags.id && known.member.Tags.id !== m.Tags.id) {
      throw new WeftError('CONFLICT', `Member '${m.Name}' has conflicting node ID '${m.Tags.id}' with member '${known.member.Name}' (${known.member.Tags.id})`);
    }
    const prev = membership.upsert({ ...m, Status: MemberStatus.alive });
    if (prev !== MemberStatus.alive) this.opts.log.info({ member: m.Name, addr: m.Addr }, prev === undefined ? 'member joined' : 'member is alive again');
    const serf = store.table<CheckRow>(CHECKS).get(checkKey(m.Name, SERF_CHECK_ID));
    // Also heals a node someone deregistered by hand, and a catalog reset by a server restart.
    if (prev !== MemberStatus.alive || serf?.Status !== 'passing') this.markNode(nodeForMember(m, datacenter), 'passing');
    return {
      Servers: this.opts.servers(),
      Digest: nodeDigest(store, m.Name),
      MembersVersion: membership.version,
      ...(req.MembersVersion !== membership.version ? { Members: membership.list() } : {}),
    };
  }

  /**
   * A heartbeat answered while no leader can take it (none elected yet, or unreachable):
   * the member hears where the servers are and its node's fingerprint, and membership
   * waits for the next leader, which gives every member a full failure timeout.
   */
  answerWithoutLeader(req: HeartbeatRequest): HeartbeatResponse {
    const m = this.validMember(req);
    const { membership, store } = this.opts;
    return { Servers: this.opts.servers(), Digest: nodeDigest(store, m.Name), MembersVersion: membership.version };
  }

  /** This server became the leader: members it has not heard from themselves get a full failure timeout. */
  takeOver(now = Date.now()): void {
    for (const e of this.opts.membership.entries()) this.opts.membership.touch(e.member.Name, now);
  }

  private validMember(req: HeartbeatRequest): HeartbeatRequest['Member'] {
    const { datacenter } = this.opts;
    const m = req.Member;
    if (!m || typeof m.Name !== 'string' || m.Name === '' || typeof m.Addr !== 'string' || typeof m.Tags !== 'object' || m.Tags === null) {
      throw new WeftError('BAD_REQUEST', 'heartbeat: Member with Name, Addr and Tags required');
    }
    if ((m.Tags.dc ?? '') !== datacenter) {
      throw new WeftError('BAD_REQUEST', `Member '${m.Name}' is in datacenter "${m.Tags.dc}", this server in "${datacenter}"`);
    }
    return m;
  }

  /** A member leaving gracefully: listed as left, its node removed from the catalog. */
  async leave(name: string): Promise<void> {
    const e = this.opts.membership.get(name);
    if (!e) return;
    this.opts.membership.setStatus(name, 'left');
    this.opts.log.info({ member: name }, 'member left');
    await this.deregisterNode(e.member.Name);
  }

  /** `force-leave`: a failed member becomes left (its node deregistered); `prune` forgets it too. Alive members are left alone, as serf refutes. */
  async forceLeave(name: string, prune: boolean): Promise<void> {
    const e = this.opts.membership.get(name);
    if (!e) throw new WeftError('NOT_FOUND', `agent: No node found with name '${name}'`);
    if (e.member.Status === MemberStatus.alive) return;
    if (e.member.Status !== MemberStatus.left) await this.leave(name);
    if (prune) this.opts.membership.remove(name);
    this.saveSnapshot();
  }

  hasLeft(name: string): boolean {
    return this.opts.membership.get(name)?.member.Status === MemberStatus.left;
  }

  /** Fingerprint of a node's agent-owned catalog entries (the server agent checks its own with it). */
  digest(node: string): string {
    return nodeDigest(this.opts.store, node);
  }

  /** Registers this server's own node as alive, with its `consul` service. */
  async registerSelf(node: NodeInput, consul: ServiceInput): Promise<void> {
    await this.enqueue(() => this.opts.store.apply({ type: 'catalog.register', Node: node, Service: consul, Checks: [serfHealthCheck('passing')] }));
  }

  private sweep(now = Date.now()): void {
    const { membership, selfName } = this.opts;
    // Only the leader hears every member; another server's list is the leader's copy.
    if (!this.opts.isLeader()) return;
    membership.touch(selfName, now);
    for (const e of membership.entries()) {
      const m = e.member;
      if (m.Name.toLowerCase() === selfName.toLowerCase()) continue;
      if (m.Status === MemberStatus.alive && now - e.lastSeen > FAIL_AFTER_MS) {
        membership.setStatus(m.Name, 'failed', now);
        this.opts.log.warn({ member: m.Name, silentMs: now - e.lastSeen }, 'member failed');
        this.markNode(nodeForMember(m, this.opts.datacenter), 'critical');
      } else if (m.Status === MemberStatus.failed && now - e.since > RECONNECT_TIMEOUT_MS) {
        membership.remove(m.Name);
        void this.deregisterNode(m.Name);
      } else if (m.Status === MemberStatus.left && now - e.since > TOMBSTONE_TIMEOUT_MS) {
        membership.remove(m.Name);
      }
    }
    this.saveSnapshot();
  }

  private markNode(node: NodeInput, status: 'passing' | 'critical'): void {
    void this.enqueue(() =>
      this.opts.store.apply({ type: 'catalog.register', Node: node, SkipNodeUpdate: true, Checks: [serfHealthCheck(status)] }),
    ).catch((err) => this.opts.log.error({ err, node: node.Node }, 'updating serfHealth failed'));
  }

  private deregisterNode(node: string): Promise<unknown> {
    return this.enqueue(() => this.opts.store.apply({ type: 'catalog.deregister', Node: node })).catch((err) =>
      this.opts.log.error({ err, node }, 'deregistering a departed node failed'),
    );
  }

  private enqueue<T>(write: () => Promise<T>): Promise<T> {
    const next = this.writes.then(write, write);
    this.writes = next.catch(() => undefined);
    return next;
  }

  private saveSnapshot(): void {
    const { snapshot, membership, selfName } = this.opts;
    snapshot?.save(membership.version, membership.list().filter((m: Member) => m.Name.toLowerCase() !== selfName.toLowerCase()));
  }
}
