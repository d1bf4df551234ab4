import { EventEmitter } from 'node:events';
import type { Etcd3, Lease } from 'etcd3';
import type { Logger } from 'pino';
import { deadlineIn } from '../state/backend/etcd-client.js';
import type { EtcdKeys } from '../state/backend/etcd-keys.js';
import { prefixEnd } from '../state/backend/etcd-keys.js';

/** A server as it registers itself in etcd (and as `/v1/operator/raft/configuration` lists it). */
export interface ServerRecord {
  Node: string;
  /** The node ID. */
  ID: string;
  /** Server RPC address (`host:port`): what clients forward to, and `/v1/status/leader` shows. */
  Address: string;
  /** Serf LAN address (`host:port`): where heartbeats go. */
  Serf: string;
}

export interface LeadershipOptions {
  client: Etcd3;
  keys: EtcdKeys;
  self: ServerRecord;
  /** Lease TTL: a dead leader is replaced within about this long. */
  ttlSeconds?: number;
  log: Logger;
}

export const LEADER_LEASE_TTL_S = 5;
/** A leader stops acting this long before its lease could expire in etcd. */
const SAFETY_MS = 750;
const POLL_MS = 500;
const CALL_MS = 3000;

/**
 * Leader election on etcd, with a lease per server (its session). The lease carries the
 * server's registration (`servers/<node>`) and, on the leader, the `leader` key, which is
 * created only if absent. The leader counts itself leader only until its last keep-alive's
 * send time plus the TTL, less a margin: before etcd could expire the lease and let another
 * server win, it has stopped. A dead leader's lease expires and the next server to poll
 * takes the key, so fail-over takes about one TTL. Emits 'leader' and 'follower'.
 */
export class Leadership extends EventEmitter {
  private lease: Lease | null = null;
  private leaseId = '';
  private leading = false;
  private validUntil = 0;
  private fired: number[] = [];
  private current: ServerRecord | null = null;
  private members: ServerRecord[] = [];
  /** When etcd last answered a poll: a leader seen longer ago than the TTL may be gone. */
  private refreshedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private renewing: Promise<void> | null = null;
  private stopped = false;
  private readonly ttl: number;

  constructor(private readonly opts: LeadershipOptions) {
    super();
    this.ttl = opts.ttlSeconds ?? LEADER_LEASE_TTL_S;
  }

  async start(): Promise<void> {
    await this.newSession();
    await this.poll();
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  isLeader(): boolean {
    return this.leading && Date.now() < this.validUntil;
  }

  /** The leader as last seen (this server when it leads); null while there is none. */
  leader(): ServerRecord | null {
    if (this.isLeader()) return this.opts.self;
    return Date.now() - this.refreshedAt < this.ttl * 1000 ? this.current : null;
  }

  /** The registered (live) servers, by node name. */
  servers(): ServerRecord[] {
    return this.members;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    const wasLeader = this.leading;
    this.leading = false;
    if (wasLeader) this.emit('follower');
    // Revoking the lease drops the leader key and the registration at once: the next leader need not wait out the TTL.
    await this.lease?.revoke({ ...deadlineIn(CALL_MS) }).catch(() => undefined);
  }

  private async newSession(): Promise<void> {
    const lease = this.opts.client.lease(this.ttl, { ...deadlineIn(CALL_MS) });
    this.lease = lease;
    this.fired = [];
    lease.on('keepaliveFired', () => this.fired.push(Date.now()));
    lease.on('keepaliveSucceeded', () => {
      // The lease was renewed no earlier than the oldest keep-alive still unanswered was sent.
      const sent = this.fired.shift() ?? Date.now();
      if (lease === this.lease) this.validUntil = Math.max(this.validUntil, sent + this.ttl * 1000 - SAFETY_MS);
    });
    lease.on('lost', (err) => {
      if (lease !== this.lease || this.stopped) return;
      this.opts.log.warn({ err: err?.message }, 'etcd lease lost');
      void this.renewSession('lease lost');
    });
    const asked = Date.now();
    this.leaseId = await lease.grant();
    this.validUntil = asked + this.ttl * 1000 - SAFETY_MS;
    await lease.put(this.opts.keys.server(this.opts.self.Node)).value(JSON.stringify(this.opts.self));
  }

  private renewSession(reason: string): Promise<void> {
    this.renewing ??= this.openAgain(reason).finally(() => (this.renewing = null));
    return this.renewing;
  }

  private async openAgain(reason: string): Promise<void> {
    this.stepDown(reason);
    const old = this.lease;
    this.lease = null;
    await old?.revoke({ ...deadlineIn(CALL_MS) }).catch(() => undefined);
    while (!this.stopped && !this.lease) {
      try {
        await this.newSession();
      } catch (err) {
        this.lease = null;
        this.opts.log.warn({ err: (err as Error).message }, 'cannot open an etcd session; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private stepDown(reason: string): void {
    if (!this.leading) return;
    this.leading = false;
    this.opts.log.warn({ reason }, 'cluster leadership lost');
    this.emit('follower');
  }

  private async poll(): Promise<void> {
    if (this.busy || this.stopped) return;
    this.busy = true;
    try {
      if (this.leading && Date.now() >= this.validUntil) return await this.renewSession('lease not renewed in time');
      await this.refresh();
      if (!this.current && this.lease && !this.leading) await this.campaign();
    } catch (err) {
      this.opts.log.debug({ err: (err as Error).message }, 'leadership poll failed');
    } finally {
      this.busy = false;
    }
  }

  private async refresh(): Promise<void> {
    const { client, keys } = this.opts;
    const [leader, servers] = await Promise.all([
      client.kv.range({ key: Buffer.from(keys.leader) }, deadlineIn(CALL_MS)),
      client.kv.range({ key: Buffer.from(keys.serversPrefix), range_end: prefixEnd(keys.serversPrefix) }, deadlineIn(CALL_MS)),
    ]);
    const kv = leader.kvs[0];
    this.refreshedAt = Date.now();
    this.current = kv ? parseRecord(kv.value) : null;
    if (this.leading && (!kv || String(kv.lease) !== String(this.leaseId))) this.stepDown('the leader key is no longer ours');
    this.members = servers.kvs.map((s) => parseRecord(s.value)).filter((r): r is ServerRecord => r !== null).sort((a, b) => a.Node.localeCompare(b.Node));
  }

  private async campaign(): Promise<void> {
    const { client, keys, self } = this.opts;
    const key = Buffer.from(keys.leader);
    const r = await client.kv.txn(
      {
        compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
        success: [{ request_put: { key, value: Buffer.from(JSON.stringify(self)), lease: this.leaseId } }],
        failure: [{ request_range: { key } }],
      },
      deadlineIn(CALL_MS),
    );
    if (!r.succeeded) {
      const kv = r.responses[0]?.response_range?.kvs[0];
      this.current = kv ? parseRecord(kv.value) : null;
      return;
    }
    if (Date.now() >= this.validUntil) return;
    this.leading = true;
    this.current = self;
    this.opts.log.info({ node: self.Node, address: self.Address }, 'cluster leadership acquired');
    this.emit('leader');
  }
}

function parseRecord(value: Buffer): ServerRecord | null {
  try {
    const r = JSON.parse(value.toString('utf8')) as ServerRecord;
    return typeof r.Node === 'string' && typeof r.Address === 'string' ? r : null;
  } catch {
    return null;
  }
}
