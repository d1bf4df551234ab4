import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { ApiError, type ApiClient } from '../../api/index.js';
import type { RuntimeConfig } from '../../config/index.js';
import type { Member } from '../../http/index.js';
import { WeftError } from '../../lib/errors.js';
import type { Leadership, ServerRecord } from '../leadership.js';
import type { Membership } from '../membership.js';
import { Forwarder } from './forward.js';
import { CLUSTER_ROUTES, HEARTBEAT_INTERVAL_MS, type HeartbeatRequest, type HeartbeatResponse } from './protocol.js';
import type { ClusterServer } from './server.js';
import { ClusterTransport } from './transport.js';

const LEADER_CALL_MS = 2000;
const SESSION_RENEW = '/v1/session/renew/';

export interface ServerHaOptions {
  config: RuntimeConfig;
  leadership: Leadership;
  cluster: ClusterServer;
  membership: Membership;
  self: () => Member;
  selfName: string;
  log: Logger;
}

/**
 * What a server does beside its peers on a shared store. Membership lives on the leader:
 * heartbeats and leaves that reach another server are passed on to it (clients heartbeat to
 * any server), and every other server heartbeats to it as a member and keeps its member list.
 * Session renewals go to the leader too, since only its TTL timers expire sessions.
 */
export class ServerHa {
  private readonly clients = new Map<string, ApiClient>();
  /** Server-to-server traffic goes over the cluster ports as a client agent's does (TLS when configured). */
  private readonly transport: ClusterTransport;
  private readonly forwarder: Forwarder;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ServerHaOptions) {
    this.transport = new ClusterTransport(opts.config);
    this.forwarder = new Forwarder({
      transport: this.transport,
      targets: () => {
        const l = this.leader();
        return l ? [l.Address] : [];
      },
      nodeName: opts.selfName,
      log: opts.log,
    });
    opts.leadership.on('leader', () => opts.cluster.takeOver());
  }

  start(): void {
    this.timer = setInterval(() => void this.heartbeatToLeader(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.forwarder.close();
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
    this.transport.close();
  }

  /** The leader when it is another server. */
  private leader(): ServerRecord | null {
    if (this.opts.leadership.isLeader()) return null;
    const l = this.opts.leadership.leader();
    return l && l.Node !== this.opts.selfName ? l : null;
  }

  async heartbeat(req: HeartbeatRequest): Promise<HeartbeatResponse> {
    const { cluster, leadership } = this.opts;
    if (leadership.isLeader()) return cluster.heartbeat(req);
    const leader = this.leader();
    if (!leader) return cluster.answerWithoutLeader(req);
    try {
      const r = await this.api(leader.Serf).put<HeartbeatResponse>(CLUSTER_ROUTES.heartbeat, { body: req, signal: AbortSignal.timeout(LEADER_CALL_MS) });
      // The member keeps talking to this server: it comes first in the list.
      return { ...r.body, Servers: cluster.answerWithoutLeader(req).Servers };
    } catch (err) {
      if (err instanceof ApiError && err.statusCode < 500) throw new WeftError(err.code, err.reason);
      return cluster.answerWithoutLeader(req);
    }
  }

  async leave(name: string): Promise<void> {
    if (this.opts.leadership.isLeader()) return this.opts.cluster.leave(name);
    const leader = this.leader();
    if (!leader) throw new WeftError('NO_LEADER', 'No cluster leader');
    await this.api(leader.Serf).put(CLUSTER_ROUTES.leave, { body: { Name: name }, signal: AbortSignal.timeout(LEADER_CALL_MS) });
  }

  async forceLeave(node: string, prune: boolean): Promise<void> {
    if (this.opts.leadership.isLeader()) return this.opts.cluster.forceLeave(node, prune);
    const leader = this.leader();
    if (!leader) throw new WeftError('NO_LEADER', 'No cluster leader');
    await this.api(leader.Address).put(`/v1/agent/force-leave/${encodeURIComponent(node)}`, { query: { prune: prune || undefined } });
  }

  /** An API server whose session renewals are answered by the leader. */
  wrapHttp(api: Server): Server {
    const outer = createServer((req, res) => {
      if (req.method === 'PUT' && (req.url ?? '').startsWith(SESSION_RENEW) && this.leader()) this.forwarder.handle(req, res);
      else api.emit('request', req, res);
    });
    outer.keepAliveTimeout = api.keepAliveTimeout;
    outer.requestTimeout = api.requestTimeout;
    outer.headersTimeout = api.headersTimeout;
    return outer;
  }

  /** This server is a member too: it tells the leader it is alive and takes the leader's member list. */
  private async heartbeatToLeader(): Promise<void> {
    const leader = this.leader();
    if (!leader) return;
    const { membership } = this.opts;
    try {
      const r = await this.api(leader.Serf).put<HeartbeatResponse>(CLUSTER_ROUTES.heartbeat, {
        body: { Member: this.opts.self(), MembersVersion: membership.version } satisfies HeartbeatRequest,
        signal: AbortSignal.timeout(LEADER_CALL_MS),
      });
      if (r.body.Members && !this.opts.leadership.isLeader()) membership.replace(r.body.Members, r.body.MembersVersion, this.opts.selfName);
    } catch (err) {
      this.opts.log.debug({ err: (err as Error).message, leader: leader.Node }, 'heartbeat to the leader failed');
    }
  }

  private api(addr: string): ApiClient {
    let c = this.clients.get(addr);
    if (!c) {
      c = this.transport.client(addr);
      this.clients.set(addr, c);
    }
    return c;
  }
}
