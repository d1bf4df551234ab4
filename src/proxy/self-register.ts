import type { Logger } from 'pino';
import type { ApiClient } from '../api/client.js';

export interface SelfRegisterOptions {
  client: ApiClient;
  /** The service the proxy represents. */
  service: string;
  /** ID suffix (`-register-id`). */
  idSuffix: string;
  address: string;
  port: number;
  log: Logger;
}

/** Consul's timings (command/connect/proxy/register.go): a 30 s TTL passed three times per period, re-checked every 30 s. */
const TTL = '30s';
const HEARTBEAT_MS = 10_000;
const RECONCILE_MS = 30_000;

/**
 * `-register`: keeps `<service>-proxy` (ID `<service>-proxy[-<suffix>]`) registered on the
 * local agent as a connect-proxy with a TTL check the proxy passes while it runs, and
 * deregisters it on close — as `consul connect proxy -register` does.
 */
export class SelfRegistration {
  private readonly timers: NodeJS.Timeout[] = [];
  readonly serviceId: string;
  readonly serviceName: string;

  constructor(private readonly opts: SelfRegisterOptions) {
    this.serviceName = `${opts.service}-proxy`;
    this.serviceId = opts.idSuffix ? `${this.serviceName}-${opts.idSuffix}` : this.serviceName;
  }

  get checkId(): string {
    return `${this.serviceId}-ttl`;
  }

  async start(): Promise<void> {
    await this.register();
    this.timers.push(setInterval(() => void this.heartbeat(), HEARTBEAT_MS), setInterval(() => void this.reconcile(), RECONCILE_MS));
  }

  private async register(): Promise<void> {
    const { client, address, port, service } = this.opts;
    await client.put('/v1/agent/service/register', {
      body: {
        Kind: 'connect-proxy',
        ID: this.serviceId,
        Name: this.serviceName,
        Address: address,
        Port: port,
        Proxy: { DestinationServiceName: service },
        Check: { CheckID: this.checkId, Name: 'proxy heartbeat', TTL, Notes: 'Built-in proxy will heartbeat this check.', Status: 'passing' },
      },
    });
    this.opts.log.info({ service: this.serviceId }, 'registered the proxy');
  }

  private async heartbeat(): Promise<void> {
    try {
      await this.opts.client.put(`/v1/agent/check/pass/${encodeURIComponent(this.checkId)}`);
    } catch (err) {
      this.opts.log.warn({ error: (err as Error).message }, 'heartbeat failed');
    }
  }

  /** Re-registers when the agent lost the service or it drifted from this proxy's address. */
  private async reconcile(): Promise<void> {
    try {
      const res = await this.opts.client.get<{ Address: string; Port: number }>(`/v1/agent/service/${encodeURIComponent(this.serviceId)}`, { accept: [404] });
      if (res.status === 404 || res.body.Address !== this.opts.address || res.body.Port !== this.opts.port) await this.register();
    } catch (err) {
      this.opts.log.warn({ error: (err as Error).message }, 'cannot check the proxy registration');
    }
  }

  /** Stops the timers and deregisters (three tries, as Consul). */
  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (let i = 0; i < 3; i++) {
      try {
        await this.opts.client.put(`/v1/agent/service/deregister/${encodeURIComponent(this.serviceId)}`);
        return;
      } catch (err) {
        this.opts.log.warn({ error: (err as Error).message }, 'deregistering the proxy failed');
      }
    }
  }
}
