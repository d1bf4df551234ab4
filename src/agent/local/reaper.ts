import type { Logger } from 'pino';
import type { LocalRegistry } from './registry.js';
import type { LocalState } from './state.js';

/**
 * How often services whose checks set `deregister_critical_service_after` are examined.
 * Consul reaps every 30 s and raises timeouts below one minute to one minute; Weft looks
 * every second and honours the timeout as written, so a service leaves within about a
 * second of its deadline.
 */
export const REAP_INTERVAL_MS = 1000;

export class CriticalServiceReaper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: LocalState,
    private readonly registry: LocalRegistry,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.reap(), REAP_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Deregisters every service with a check critical for longer than its deadline; returns their IDs. */
  reap(now = Date.now()): string[] {
    const reaped: string[] = [];
    for (const c of this.state.allChecks()) {
      const after = c.def?.deregisterCriticalServiceAfterMs;
      const serviceId = c.check.ServiceID;
      if (!after || !serviceId || reaped.includes(serviceId)) continue;
      const critical = this.state.criticalFor(c.check.CheckID, now);
      if (critical === null || critical < after || !this.state.service(serviceId)) continue;
      this.log.info({ check: c.check.CheckID, service: serviceId }, 'Check for service has been critical for too long; deregistered service');
      this.registry.deregisterService(serviceId);
      reaped.push(serviceId);
    }
    return reaped;
  }
}
