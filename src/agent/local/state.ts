import { EventEmitter } from 'node:events';
import type { CheckRow, HealthStatus } from '../../state/index.js';
import { WatchHub } from '../../state/index.js';
import type { LocalCheck, LocalService, NodeState } from './types.js';

/** Consul's `check_update_interval` default: output-only changes reach the servers at most this often. */
export const CHECK_UPDATE_INTERVAL_MS = 5 * 60_000;

export const serviceTopic = (id: string): string => `local-svc:${id}`;
export const SERVICES_TOPIC = 'local-services';
export const CHECKS_TOPIC = 'local-checks';

interface CheckEntry extends LocalCheck {
  /** Output last handed to the catalog; differs from check.Output while an output-only change waits. */
  readonly syncedOutput: string;
  readonly criticalSince: number | null;
}

export interface LocalStateOptions {
  nodeName: string;
  checkUpdateIntervalMs?: number;
}

/**
 * The agent's own services and checks: the source of truth the catalog is kept in step
 * with (anti-entropy). Emits 'changed' whenever the catalog's copy should change; watchers
 * of one service (hash-blocking `/v1/agent/service/:id`) wake through `hub`.
 */
export class LocalState extends EventEmitter {
  readonly hub = new WatchHub();
  private readonly services = new Map<string, LocalService>();
  private readonly checks = new Map<string, CheckEntry>();
  private readonly deferTimers = new Map<string, NodeJS.Timeout>();
  private readonly updateIntervalMs: number;

  constructor(private readonly opts: LocalStateOptions) {
    super();
    this.updateIntervalMs = opts.checkUpdateIntervalMs ?? CHECK_UPDATE_INTERVAL_MS;
  }

  get nodeName(): string {
    return this.opts.nodeName;
  }

  service(id: string): LocalService | undefined {
    return this.services.get(id);
  }

  allServices(): LocalService[] {
    return [...this.services.values()];
  }

  check(id: string): LocalCheck | undefined {
    return this.checks.get(id);
  }

  allChecks(): LocalCheck[] {
    return [...this.checks.values()];
  }

  checksOf(serviceId: string): LocalCheck[] {
    return this.allChecks().filter((c) => c.check.ServiceID === serviceId);
  }

  /** Milliseconds a check has been critical, or null. */
  criticalFor(id: string, now = Date.now()): number | null {
    const since = this.checks.get(id)?.criticalSince;
    return since === null || since === undefined ? null : now - since;
  }

  /** Adds or replaces a service and the given checks in one step (one sync, one wake-up). */
  putService(svc: LocalService, checks: LocalCheck[] = []): void {
    this.services.set(svc.service.ID, svc);
    for (const c of checks) this.putCheckEntry(c);
    // Checks carry the service's name and tags.
    for (const c of this.checks.values()) {
      if (c.check.ServiceID === svc.service.ID) this.putCheckEntry(c);
    }
    this.changed([serviceTopic(svc.service.ID), SERVICES_TOPIC, CHECKS_TOPIC]);
  }

  /** Removes a service with its checks; returns what was removed. */
  removeService(id: string): { service: LocalService; checks: LocalCheck[] } | undefined {
    const svc = this.services.get(id);
    if (!svc) return undefined;
    const checks = this.checksOf(id);
    for (const c of checks) this.dropCheck(c.check.CheckID);
    this.services.delete(id);
    this.changed([serviceTopic(id), SERVICES_TOPIC, CHECKS_TOPIC]);
    return { service: svc, checks };
  }

  putCheck(c: LocalCheck): void {
    this.putCheckEntry(c);
    this.changed(this.checkTopics(c.check));
  }

  removeCheck(id: string): LocalCheck | undefined {
    const c = this.checks.get(id);
    if (!c) return undefined;
    this.dropCheck(id);
    this.changed(this.checkTopics(c.check));
    return c;
  }

  /**
   * A check's new result. A status change reaches the catalog at once; an output-only
   * change is kept locally and synced after `check_update_interval` (Consul's deferral,
   * which keeps chatty checks from writing to the servers on every run).
   */
  updateCheck(id: string, status: Exclude<HealthStatus, 'maintenance'>, output: string, now = Date.now()): void {
    const c = this.checks.get(id);
    if (!c || (c.check.Status === status && c.check.Output === output)) return;
    const check: CheckRow = { ...c.check, Status: status, Output: output };
    const criticalSince = status === 'critical' ? (c.criticalSince ?? now) : null;
    if (c.check.Status === status && this.updateIntervalMs > 0) {
      this.checks.set(id, { ...c, check, criticalSince });
      if (!this.deferTimers.has(id)) {
        const delay = this.updateIntervalMs / 2 + Math.random() * this.updateIntervalMs;
        const timer = setTimeout(() => this.flushOutput(id), delay);
        timer.unref();
        this.deferTimers.set(id, timer);
      }
      this.hub.notify(this.checkTopics(check));
      return;
    }
    this.clearDefer(id);
    this.checks.set(id, { ...c, check, criticalSince, syncedOutput: output });
    this.changed(this.checkTopics(check));
  }

  /** Tags the catalog holds for services with EnableTagOverride win over the agent's (Consul's rule). */
  adoptTags(overrides: Record<string, string[]>): void {
    for (const [id, tags] of Object.entries(overrides)) {
      const svc = this.services.get(id);
      if (!svc || !svc.service.EnableTagOverride || JSON.stringify(svc.service.Tags) === JSON.stringify(tags)) continue;
      this.services.set(id, { ...svc, service: { ...svc.service, Tags: tags } });
      for (const c of this.checks.values()) if (c.check.ServiceID === id) this.putCheckEntry(c);
      this.hub.notify([serviceTopic(id), SERVICES_TOPIC, CHECKS_TOPIC]);
    }
  }

  /** What the catalog should hold for this node, with deferred output left at its synced value. */
  nodeState(): NodeState {
    return {
      services: [...this.services.values()].map((s) => s.service),
      checks: [...this.checks.values()].map((c) => (c.syncedOutput === c.check.Output ? c.check : { ...c.check, Output: c.syncedOutput })),
    };
  }

  /** Stops pending output deferrals (agent shutdown). */
  close(): void {
    for (const t of this.deferTimers.values()) clearTimeout(t);
    this.deferTimers.clear();
  }

  private putCheckEntry(c: LocalCheck): void {
    const svc = c.check.ServiceID ? this.services.get(c.check.ServiceID) : undefined;
    const check: CheckRow = {
      ...c.check,
      Node: this.opts.nodeName,
      ServiceName: svc?.service.Service ?? '',
      ServiceTags: svc?.service.Tags ?? [],
    };
    const prev = this.checks.get(check.CheckID);
    const criticalSince = check.Status === 'critical' ? (prev?.criticalSince ?? Date.now()) : null;
    const syncedOutput = prev && prev.check.Status === check.Status && this.deferTimers.has(check.CheckID) ? prev.syncedOutput : check.Output;
    this.checks.set(check.CheckID, { ...c, check, criticalSince, syncedOutput });
  }

  private dropCheck(id: string): void {
    this.clearDefer(id);
    this.checks.delete(id);
  }

  private flushOutput(id: string): void {
    this.deferTimers.delete(id);
    const c = this.checks.get(id);
    if (!c || c.syncedOutput === c.check.Output) return;
    this.checks.set(id, { ...c, syncedOutput: c.check.Output });
    this.emit('changed');
  }

  private clearDefer(id: string): void {
    const t = this.deferTimers.get(id);
    if (t) clearTimeout(t);
    this.deferTimers.delete(id);
  }

  private checkTopics(c: CheckRow): string[] {
    return c.ServiceID ? [CHECKS_TOPIC, serviceTopic(c.ServiceID)] : [CHECKS_TOPIC];
  }

  private changed(topics: string[]): void {
    this.hub.notify(topics);
    this.emit('changed');
  }
}
