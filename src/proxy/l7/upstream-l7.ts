import type { Logger } from 'pino';
import type { UpstreamSnapshot } from '../../proxycfg/wire.js';
import type { SessionCache } from '../../sdk/session-cache.js';
import type { TlsContexts } from '../../sdk/tls.js';
import type { AccessLog } from './access-log.js';
import { HttpFront } from './http-front.js';
import type { HttpMetrics } from './http-metrics.js';
import { OutboundHandler } from './outbound-handler.js';
import { RouteTable, type RouteLeg } from './route-table.js';
import { TargetCluster } from './target-cluster.js';

/** The chain protocols the proxy serves per request; anything else is spliced at L4. */
export function isHttpProtocol(protocol: string): boolean {
  return protocol === 'http' || protocol === 'http2' || protocol === 'grpc';
}

/**
 * One upstream at L7: the route table and the target clusters compiled from its chain,
 * and the front end its listener hands connections to. A snapshot swaps the table and
 * updates the clusters in place; requests already routed finish on what they picked.
 */
export class UpstreamL7 {
  readonly front: HttpFront;
  private readonly handler: OutboundHandler;
  private clusters = new Map<string, TargetCluster>();

  constructor(
    private readonly listener: string,
    u: UpstreamSnapshot,
    accessLog: AccessLog | null,
    private readonly deps: { contexts: TlsContexts; sessions: SessionCache; metrics: HttpMetrics; log: Logger },
  ) {
    this.handler = new OutboundHandler(this.build(u, accessLog), deps.metrics, deps.log);
    this.front = new HttpFront(this.handler.handle);
  }

  update(u: UpstreamSnapshot, accessLog: AccessLog | null): void {
    this.handler.table = this.build(u, accessLog);
  }

  private build(u: UpstreamSnapshot, accessLog: AccessLog | null) {
    const chain = u.Chain!;
    const routes = RouteTable.compile(chain);
    const legs = new Map<string, RouteLeg>();
    for (const r of routes.routes) for (const leg of r.legs) for (const id of leg.targets) if (!legs.has(id)) legs.set(id, leg);
    const protocol = u.Protocol === 'http' ? 'http/1.1' : 'h2';
    const next = new Map<string, TargetCluster>();
    for (const [id, leg] of legs) {
      const target = chain.Compiled.Targets[id];
      const settings = {
        sni: target?.SNI ?? '',
        endpoints: chain.Targets[id]?.Endpoints ?? [],
        loadBalancer: leg.loadBalancer,
        connectTimeoutMs: leg.connectTimeoutMs,
        limits: u.Limits,
        passiveHealthCheck: u.PassiveHealthCheck,
      };
      const existing = this.clusters.get(id);
      if (existing && existing.protocol === protocol) {
        existing.update(settings);
        next.set(id, existing);
      } else {
        next.set(id, new TargetCluster(id, settings, { contexts: this.deps.contexts, sessions: this.deps.sessions, protocol, onEject: (target) => this.deps.metrics.ejections.inc({ listener: this.listener, target }) }));
      }
    }
    for (const [id, c] of this.clusters) if (next.get(id) !== c) void c.close();
    this.clusters = next;
    return { listener: this.listener, routes, clusters: next, accessLog };
  }

  async close(): Promise<void> {
    this.front.drain();
    await Promise.all([...this.clusters.values()].map((c) => c.close()));
  }
}
