import type { TLSSocket } from 'node:tls';
import type { LoadBalancer, PassiveHealthCheck, UpstreamLimits } from '../../state/config-entries/entry-types.js';
import type { UpstreamEndpoint } from '../../proxycfg/wire.js';
import { dialMtls } from '../../sdk/dial.js';
import type { SessionCache } from '../../sdk/session-cache.js';
import type { TlsContexts } from '../../sdk/tls.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { compileHashPolicies, type HashInput, type HashResult } from './hash-policy.js';
import { createBalancer, type Balancer, type Host } from './load-balancer.js';
import { OutlierDetector } from './outlier-detector.js';
import { H1Transport } from './transports/h1-transport.js';
import { H2Transport } from './transports/h2-transport.js';
import type { HttpTransport } from './transports/transport.js';

export interface TargetSettings {
  sni: string;
  endpoints: readonly UpstreamEndpoint[];
  loadBalancer: LoadBalancer | undefined;
  connectTimeoutMs: number;
  limits: UpstreamLimits;
  passiveHealthCheck: PassiveHealthCheck | null;
}

export interface MeshDialing {
  contexts: TlsContexts;
  sessions: SessionCache;
  /** 'h2' for http2 and grpc chains, 'http/1.1' for http. */
  protocol: 'h2' | 'http/1.1';
  onEject: (target: string) => void;
}

/**
 * One target of a chain (a service or subset in a datacenter) as the proxy balances over
 * it: its instances with their live state, the load-balancing policy of its resolver,
 * outlier detection, the circuit breaker, and one pooled transport per instance. A
 * snapshot update replaces the instances and settings in place; transports of instances
 * that left are closed once their requests finish.
 */
export class TargetCluster {
  balancer: Balancer;
  hash: ((input: HashInput) => HashResult) | null;
  readonly breaker: CircuitBreaker;
  outlier: OutlierDetector;
  private settings: TargetSettings;
  private lbKey: string;
  private phcKey: string;
  private readonly transports = new Map<string, HttpTransport>();

  constructor(
    readonly id: string,
    settings: TargetSettings,
    private readonly dialing: MeshDialing,
  ) {
    this.settings = settings;
    this.lbKey = JSON.stringify(settings.loadBalancer ?? null);
    this.phcKey = JSON.stringify(settings.passiveHealthCheck);
    this.balancer = createBalancer(settings.loadBalancer);
    this.balancer.update(settings.endpoints);
    this.hash = compileHashPolicies(settings.loadBalancer?.HashPolicies);
    this.breaker = new CircuitBreaker(settings.limits);
    this.outlier = this.detector(settings.passiveHealthCheck);
  }

  private detector(phc: PassiveHealthCheck | null): OutlierDetector {
    return new OutlierDetector(phc, { onEject: () => this.dialing.onEject(this.id) });
  }

  update(settings: TargetSettings): void {
    this.settings = settings;
    const lbKey = JSON.stringify(settings.loadBalancer ?? null);
    if (lbKey !== this.lbKey) {
      this.lbKey = lbKey;
      this.balancer = createBalancer(settings.loadBalancer);
      this.hash = compileHashPolicies(settings.loadBalancer?.HashPolicies);
    }
    const phcKey = JSON.stringify(settings.passiveHealthCheck);
    if (phcKey !== this.phcKey) {
      this.phcKey = phcKey;
      this.outlier = this.detector(settings.passiveHealthCheck);
    }
    this.balancer.update(settings.endpoints);
    this.breaker.configure(settings.limits);
    const live = new Set(this.balancer.hosts.map((h) => h.key));
    for (const [key, t] of this.transports) {
      if (live.has(key)) continue;
      this.transports.delete(key);
      void t.close();
    }
  }

  /** True when some instance can take a request now (not ejected). */
  get available(): boolean {
    const now = Date.now();
    return this.balancer.hosts.some((h) => h.ejectedUntil <= now);
  }

  get size(): number {
    return this.balancer.hosts.length;
  }

  transportFor(host: Host): HttpTransport {
    let t = this.transports.get(host.key);
    if (t) return t;
    const e = host.endpoint;
    const { contexts, sessions, protocol } = this.dialing;
    const dial = (): Promise<TLSSocket> =>
      dialMtls({ host: e.Address, port: e.Port, sni: this.settings.sni, identity: e.Identity }, { context: contexts.current(), timeoutMs: this.settings.connectTimeoutMs, sessions, alpn: [protocol] });
    t = protocol === 'h2' ? new H2Transport(dial, true) : new H1Transport(dial, { maxConnections: this.breaker.connectionLimit });
    this.transports.set(host.key, t);
    return t;
  }

  get protocol(): 'h2' | 'http/1.1' {
    return this.dialing.protocol;
  }

  async close(): Promise<void> {
    const all = [...this.transports.values()];
    this.transports.clear();
    await Promise.all(all.map((t) => t.close()));
  }
}
