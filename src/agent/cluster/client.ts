import type { Logger } from 'pino';
import { ApiClient } from '../../api/index.js';
import type { Member } from '../../http/index.js';
import { WeftError, isWeftError } from '../../lib/errors.js';
import type { Membership } from '../membership.js';
import { joinAddress } from './join-address.js';
import { CLUSTER_ROUTES, HEARTBEAT_INTERVAL_MS, type HeartbeatResponse } from './protocol.js';

const CONTACT_TIMEOUT_MS = 3000;

export interface ClusterClientOptions {
  self: () => Member;
  membership: Membership;
  selfName: string;
  retryJoin: string[];
  retryIntervalMs: number;
  /** 0 = retry forever. */
  retryMax: number;
  serfPort: number;
  log: Logger;
  /** Called on every (re)join: the server may have lost or changed this node's entries. */
  onJoined: () => void;
  onDigest: (digest: string) => void;
  /** A client for a server address: TLS when the agent verifies outgoing connections. Plain HTTP when absent. */
  connect?: (addr: string) => ApiClient;
}

/**
 * A client agent's link to the servers: joins through `-retry-join` (retrying every
 * `-retry-interval`), then heartbeats once a second. When the server stops answering it
 * keeps trying — the server it knew, then every join address — so a restarted server
 * finds its clients again within a second or two.
 */
export class ClusterClient {
  private connectedTo: string | null = null;
  private servers: string[] = [];
  private candidates: string[] = [];
  private attempts = 0;
  private lastContact = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private lastError = '';
  private readonly clients = new Map<string, ApiClient>();

  constructor(private readonly opts: ClusterClientOptions) {}

  start(): void {
    this.stopped = false;
    this.candidates = [];
    for (const a of this.opts.retryJoin) {
      try {
        this.addCandidate(joinAddress(a, this.opts.serfPort));
      } catch (err) {
        this.opts.log.warn({ address: a }, (err as Error).message);
      }
    }
    if (this.candidates.length === 0) {
      this.opts.log.warn('no -retry-join address given: this client joins when told to (weft join ADDR)');
      return;
    }
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  /** Server RPC address to forward to and sync with; null until joined. */
  rpcAddress(): string | null {
    return this.servers[0] ?? null;
  }

  serverAddresses(): string[] {
    return [...this.servers];
  }

  /** Milliseconds since the server last answered (Infinity before the first answer). */
  sinceContactMs(): number {
    return this.lastContact === 0 ? Infinity : Date.now() - this.lastContact;
  }

  /** `/v1/agent/join/:addr`: one attempt, reporting why it failed. */
  async join(address: string): Promise<void> {
    const addr = joinAddress(address, this.opts.serfPort);
    await this.contact(addr);
    this.addCandidate(addr);
    if (!this.stopped) this.schedule(HEARTBEAT_INTERVAL_MS);
  }

  /** Tells the server this agent leaves; best effort, bounded in time. */
  async leave(): Promise<void> {
    clearTimeout(this.timer);
    this.stopped = true;
    const target = this.connectedTo;
    if (!target) return;
    try {
      await this.client(target).put(CLUSTER_ROUTES.leave, { body: { Name: this.opts.selfName }, signal: AbortSignal.timeout(CONTACT_TIMEOUT_MS) });
      this.opts.log.info('left the cluster');
    } catch (err) {
      this.opts.log.warn({ err }, 'could not tell the server about the leave; it will see this agent fail');
    }
  }

  /** Every server the member list names becomes a place to rejoin, beside the -retry-join addresses. */
  private learnServers(): void {
    for (const m of this.opts.membership.list()) {
      if (m.Tags.role !== 'consul' || m.Name.toLowerCase() === this.opts.selfName.toLowerCase()) continue;
      this.addCandidate(`${m.Addr.includes(':') ? `[${m.Addr}]` : m.Addr}:${m.Port}`);
    }
  }

  private addCandidate(addr: string): void {
    if (!this.candidates.includes(addr)) this.candidates.push(addr);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const target = this.connectedTo ?? this.candidates[this.attempts % this.candidates.length];
    try {
      await this.contact(target);
    } catch (err) {
      if (this.stopped) return;
      this.attempts++;
      this.learnServers();
      const reason = (err as Error).message;
      if (this.connectedTo) {
        this.opts.log.warn({ server: target, reason }, 'lost contact with the server; retrying');
        this.connectedTo = null;
      } else if (reason !== this.lastError) {
        this.opts.log.warn({ address: target, reason }, 'join failed; retrying');
      }
      this.lastError = reason;
      const rounds = this.attempts / this.candidates.length;
      if (this.opts.retryMax > 0 && rounds >= this.opts.retryMax && this.lastContact === 0) {
        this.opts.log.error({ attempts: this.attempts }, `retry join failed after ${this.opts.retryMax} attempts; giving up`);
        return;
      }
      // Once part of a cluster, look for the server every heartbeat; before that, every retry interval.
      this.schedule(this.lastContact ? HEARTBEAT_INTERVAL_MS : this.opts.retryIntervalMs);
      return;
    }
    if (!this.stopped) this.schedule(HEARTBEAT_INTERVAL_MS);
  }

  private async contact(addr: string): Promise<void> {
    const { membership } = this.opts;
    let resp: HeartbeatResponse;
    try {
      const r = await this.client(addr).put<HeartbeatResponse>(CLUSTER_ROUTES.heartbeat, {
        body: { Member: this.opts.self(), MembersVersion: membership.version },
        signal: AbortSignal.timeout(CONTACT_TIMEOUT_MS),
      });
      resp = r.body;
    } catch (err) {
      if (isWeftError(err)) throw err;
      throw new WeftError('UNAVAILABLE', `no answer from ${addr}: ${(err as Error).message}`);
    }
    const rejoined = this.connectedTo !== addr;
    this.connectedTo = addr;
    this.servers = resp.Servers ?? [];
    this.lastContact = Date.now();
    this.attempts = 0;
    this.lastError = '';
    if (resp.Members) membership.replace(resp.Members, resp.MembersVersion, this.opts.selfName);
    if (rejoined) {
      this.opts.log.info({ server: addr }, 'joined the cluster');
      this.opts.onJoined();
    }
    this.opts.onDigest(resp.Digest);
  }

  private client(addr: string): ApiClient {
    let c = this.clients.get(addr);
    if (!c) {
      c = this.opts.connect ? this.opts.connect(addr) : new ApiClient({ address: `http://${addr}` });
      this.clients.set(addr, c);
    }
    return c;
  }
}
