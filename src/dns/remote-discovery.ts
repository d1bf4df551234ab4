import type { Logger } from 'pino';
import { ApiClient } from '../api/index.js';
import { WeftError } from '../lib/errors.js';
import type { Discovery, DiscoveryInstance, DiscoveryNode, InstanceHealth, InstanceRole } from './discovery.js';
import { canonicalIp } from './ip.js';

/** How long a service list is kept fresh after the last question about it. */
const IDLE_MS = 3 * 60_000;
const WAIT = '60s';
const RETRY_MS = 1000;
const VIRTUAL_ADDRESS_TAG = 'consul-virtual';
/** Services followed at once; beyond that (a flood of made-up names) each question reads once. */
const MAX_WATCHED = 1024;

interface WireNode {
  Node: string;
  Address: string;
  Datacenter: string;
  Meta?: Record<string, string> | null;
}
interface WireHealthEntry {
  Node: WireNode;
  Service: {
    Service: string;
    Address: string;
    Port: number;
    Tags?: string[] | null;
    Weights?: { Passing: number; Warning: number } | null;
    TaggedAddresses?: Record<string, { Address: string }> | null;
  };
  Checks: { CheckID: string; Status: string }[];
}

interface Watched {
  loaded: boolean;
  instances: readonly DiscoveryInstance[];
  virtualIp: string | undefined;
  ready: Promise<void>;
  lastUsed: number;
}

const toNode = (n: WireNode): DiscoveryNode => ({ name: n.Node, address: n.Address, datacenter: n.Datacenter, meta: n.Meta ?? {} });

/** Consul's aggregated status of a health entry's checks. */
function health(checks: WireHealthEntry['Checks']): InstanceHealth {
  let worst: InstanceHealth = 'passing';
  for (const c of checks) {
    if (c.CheckID === '_node_maintenance' || c.CheckID.startsWith('_service_maintenance:')) return 'maintenance';
    if (c.Status === 'critical') worst = 'critical';
    else if (c.Status === 'warning' && worst === 'passing') worst = 'warning';
  }
  return worst;
}

function toInstance(e: WireHealthEntry): DiscoveryInstance {
  const w = e.Service.Weights ?? { Passing: 1, Warning: 1 };
  return {
    node: toNode(e.Node),
    service: { name: e.Service.Service, address: e.Service.Address, port: e.Service.Port, tags: e.Service.Tags ?? [], weights: { passing: w.Passing, warning: w.Warning } },
    health: health(e.Checks ?? []),
  };
}

export interface RemoteDiscoveryOptions {
  /** `host:port` of a server's HTTP API, or null while none is known. */
  server: () => string | null;
  datacenter: string;
  self: () => DiscoveryNode;
  log: Logger;
  /** A client for a server address (TLS, the DNS token); plain HTTP without a token when absent. */
  connect?: (address: string) => ApiClient;
  /** The token `connect`'s clients ask with: answers are kept per token, as the servers filter by it. */
  token?: () => string;
}

/**
 * Discovery for a client agent, whose store holds no catalog: it asks its servers. The
 * instances of a service asked for are kept fresh by a blocking query while questions keep
 * coming (Consul's agent cache does the same), so a busy name costs no round trip; node and
 * address lookups ask each time. A server that cannot be reached makes the question fail
 * (SERVFAIL), as in Consul.
 */
export class RemoteDiscovery implements Discovery {
  readonly datacenter: string;
  private readonly watched = new Map<string, Watched>();
  private api: ApiClient | null = null;
  private apiAddress = '';
  private readonly stopped = new AbortController();

  constructor(private readonly opts: RemoteDiscoveryOptions) {
    this.datacenter = opts.datacenter;
  }

  private client(): ApiClient {
    const address = this.opts.server();
    if (!address) throw new WeftError('UNAVAILABLE', 'No known Consul servers');
    if (address !== this.apiAddress) {
      this.api?.close();
      this.api = this.opts.connect ? this.opts.connect(address) : new ApiClient({ address: `http://${address}`, stale: true });
      this.apiAddress = address;
    }
    return this.api!;
  }

  async node(name: string): Promise<DiscoveryNode | undefined> {
    const r = await this.client().get<{ Node: WireNode } | null>(`/v1/catalog/node/${encodeURIComponent(name)}`, { accept: [404], signal: this.stopped.signal });
    return r.status === 200 && r.body ? toNode(r.body.Node) : undefined;
  }

  instances(name: string, role: InstanceRole): readonly DiscoveryInstance[] | Promise<readonly DiscoveryInstance[]> {
    // Ingress gateways expose services through config entries the catalog does not hold yet.
    if (role === 'ingress') return [];
    const key = `${role}\u0000${name.toLowerCase()}\u0000${this.opts.token?.() ?? ''}`;
    const path = `/v1/health/${role === 'connect' ? 'connect' : 'service'}/${encodeURIComponent(name)}`;
    const known = this.watched.get(key);
    if (!known && this.watched.size >= MAX_WATCHED) return this.readOnce(path);
    const w = known ?? this.watch(key, path);
    w.lastUsed = Date.now();
    return w.loaded ? w.instances : w.ready.then(() => w.instances);
  }

  private async readOnce(path: string): Promise<readonly DiscoveryInstance[]> {
    const r = await this.client().get<WireHealthEntry[]>(path, { signal: this.stopped.signal });
    return (r.body ?? []).map(toInstance);
  }

  async nodeByAddress(ip: string): Promise<DiscoveryNode | undefined> {
    const r = await this.client().get<WireNode[]>('/v1/catalog/nodes', { signal: this.stopped.signal });
    const n = r.body.find((x) => canonicalIp(x.Address) === ip);
    return n ? toNode(n) : undefined;
  }

  /** Not answered on client agents: the HTTP API has no lookup of instances by address. */
  instanceByAddress(): undefined {
    return undefined;
  }

  async servers(): Promise<readonly DiscoveryNode[]> {
    const healthy = (await this.instances('consul', 'service')).filter((i) => i.health === 'passing' || i.health === 'warning');
    return healthy.length > 0 ? healthy.map((i) => i.node) : [this.opts.self()];
  }

  async virtualIp(name: string): Promise<string | undefined> {
    await this.instances(name, 'service');
    return this.watched.get(`service\u0000${name.toLowerCase()}`)?.virtualIp;
  }

  close(): void {
    this.stopped.abort();
    this.api?.close();
    this.watched.clear();
  }

  /** Reads a service once, then follows it with blocking queries until nobody asks for it. */
  private watch(key: string, path: string): Watched {
    let settle!: (err?: Error) => void;
    const w: Watched = {
      loaded: false,
      instances: [],
      virtualIp: undefined,
      lastUsed: Date.now(),
      ready: new Promise<void>((resolve, reject) => (settle = (err) => (err ? reject(err) : resolve()))),
    };
    w.ready.catch(() => {});
    this.watched.set(key, w);
    void (async () => {
      let index = 0;
      while (!this.stopped.signal.aborted && Date.now() - w.lastUsed < IDLE_MS) {
        try {
          const query = index > 0 ? { index, wait: WAIT } : {};
          const r = await this.client().get<WireHealthEntry[]>(path, { query, signal: this.stopped.signal });
          const entries = r.body ?? [];
          // A new array on every change: the router keeps what it derives keyed by the list.
          w.instances = entries.map(toInstance);
          w.virtualIp = entries.map((e) => e.Service.TaggedAddresses?.[VIRTUAL_ADDRESS_TAG]?.Address).find((a) => a);
          index = r.meta.index < index ? 0 : r.meta.index;
          if (!w.loaded) settle();
          w.loaded = true;
          // Without an index there is nothing to block on: poll instead of spinning.
          if (index === 0) await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
        } catch (err) {
          if (this.stopped.signal.aborted) break;
          if (!w.loaded) {
            this.watched.delete(key);
            settle(err as Error);
            return;
          }
          this.opts.log.debug({ err, path }, 'refreshing a DNS service list failed; retrying');
          await new Promise((r) => setTimeout(r, RETRY_MS).unref());
        }
      }
      if (this.watched.get(key) === w) this.watched.delete(key);
    })();
    return w;
  }
}
