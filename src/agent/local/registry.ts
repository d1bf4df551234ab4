import type { Logger } from 'pino';
import { assertAllowed, parseCheckDefinition, type CheckDefinition, type CheckStatus } from '../../checks/index.js';
import { WeftError } from '../../lib/errors.js';
import { allocateSidecarPort, expandSidecar, parseServiceDefinition, sidecarIdFor, type ServiceDefinition } from '../../services/index.js';
import type { ServiceInput } from '../../state/index.js';
import { checkRowFor, NODE_MAINTENANCE_ID, nodeMaintenanceRow, serviceMaintenanceId, serviceMaintenanceRow } from './check-rows.js';
import type { LocalPersistence } from './persist.js';
import type { CheckRunners } from './runners.js';
import type { LocalState } from './state.js';
import type { LocalCheck, LocalService, RegistrationSource } from './types.js';

export interface RegisterOptions {
  source: RegistrationSource;
  token: string;
  /** `?replace-existing-checks`: checks of the service missing from the new definition are removed. */
  replaceExistingChecks?: boolean;
}

interface PlannedCheck {
  def: CheckDefinition;
  raw: Record<string, unknown>;
}

/** A validated registration, ready to apply: nothing has changed yet. */
export interface ServicePlan {
  entries: { entry: LocalService; checks: PlannedCheck[] }[];
}

export interface RegistryOptions {
  state: LocalState;
  runners: CheckRunners;
  persistence: LocalPersistence | null;
  sidecarRange: { min: number; max: number };
  scriptChecksEnabled: (source: RegistrationSource) => boolean;
  outputMaxSize?: number;
  log: Logger;
}

/** The keys a check's identity may be spelled with; replaced by canonical ones when persisted. */
const IDENTITY_KEYS = new Set(['id', 'checkid', 'name', 'serviceid']);

/**
 * The agent's registration operations (Consul's AddService/RemoveService/AddCheck/...):
 * validate everything first, then change the local state, the check runners and the
 * persisted copy together. Bad input throws WeftError and changes nothing.
 */
export class LocalRegistry {
  constructor(private readonly opts: RegistryOptions) {}

  /** Parses, expands the sidecar and validates checks; `pending` are services planned in the same batch (their ports are taken). */
  planService(raw: unknown, o: RegisterOptions, pending: ServiceInput[] = []): ServicePlan {
    const def = parseServiceDefinition(raw);
    const taken = [...this.opts.state.allServices().map((s) => s.service), ...pending];
    const sidecar = expandSidecar(def, (id) => allocateSidecarPort(id, this.opts.sidecarRange, taken));
    const entries = [this.plan(def, o)];
    if (sidecar) entries.push(this.plan(sidecar, o, def.service.ID));
    return { entries };
  }

  applyService(plan: ServicePlan, o: RegisterOptions): void {
    for (const p of plan.entries) this.applyEntry(p.entry, p.checks, o.replaceExistingChecks ?? false);
  }

  registerService(raw: unknown, o: RegisterOptions): void {
    this.applyService(this.planService(raw, o), o);
  }

  deregisterService(id: string): void {
    const { state, runners, persistence } = this.opts;
    const removed = state.removeService(id);
    if (!removed) throw new WeftError('NOT_FOUND', `Unknown service ID "${id}". Ensure that the service ID is passed, not the service name.`);
    for (const c of removed.checks) {
      runners.stop(c.check.CheckID);
      persistence?.removeCheck(c.check.CheckID);
    }
    persistence?.removeService(id);
    const sidecar = state.service(sidecarIdFor(id));
    if (sidecar?.sidecarOf === id) this.deregisterService(sidecar.service.ID);
  }

  /** `serviceIds`: services registered in the same batch, which the check may belong to. */
  planCheck(raw: unknown, o: RegisterOptions, serviceIds: ReadonlySet<string> = new Set()): PlannedCheck {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new WeftError('BAD_REQUEST', 'Request decode failed: a check must be an object');
    }
    const def = parseCheckDefinition(raw as Record<string, unknown>, { outputMaxSize: this.opts.outputMaxSize });
    if (def.serviceId && !this.opts.state.service(def.serviceId) && !serviceIds.has(def.serviceId)) {
      throw new WeftError('NOT_FOUND', `ServiceID "${def.serviceId}" does not exist`);
    }
    assertAllowed(def, { scriptChecksEnabled: this.opts.scriptChecksEnabled(o.source), source: o.source });
    return { def, raw: canonicalRaw(raw as Record<string, unknown>, def) };
  }

  applyCheck(p: PlannedCheck, o: RegisterOptions): void {
    const local = this.localCheck(p, o.source, o.token);
    this.opts.runners.stop(p.def.id);
    this.opts.state.putCheck(local);
    this.startRunner(local);
    this.persistChecks(o.source, [local]);
  }

  registerCheck(raw: unknown, o: RegisterOptions): void {
    this.applyCheck(this.planCheck(raw, o), o);
  }

  deregisterCheck(id: string): void {
    const { state, runners, persistence } = this.opts;
    if (!state.check(id)) throw new WeftError('NOT_FOUND', `Unknown check ID "${id}". Ensure that the check ID is passed, not the check name.`);
    runners.stop(id);
    state.removeCheck(id);
    persistence?.removeCheck(id);
  }

  /** `/v1/agent/check/pass|warn|fail|update`: sets a TTL check and restarts its TTL. */
  ttlUpdate(id: string, status: CheckStatus, output: string): void {
    const stored = this.opts.runners.ttlUpdate(id, status, output);
    const c = this.opts.state.check(id);
    if (this.opts.persistence && c?.def?.ttlMs) {
      this.opts.persistence.saveTtlState({ CheckID: id, Status: status, Output: stored, Expires: Date.now() + c.def.ttlMs });
    }
  }

  enableNodeMaintenance(reason: string, token: string): void {
    if (this.opts.state.check(NODE_MAINTENANCE_ID)) return;
    this.putFixedCheck({ check: nodeMaintenanceRow(reason), source: 'remote', token, def: null, raw: null });
  }

  disableNodeMaintenance(): void {
    if (this.opts.state.check(NODE_MAINTENANCE_ID)) this.deregisterCheck(NODE_MAINTENANCE_ID);
  }

  enableServiceMaintenance(serviceId: string, reason: string, token: string): void {
    if (!this.opts.state.service(serviceId)) throw new WeftError('NOT_FOUND', `No service registered with ID "${serviceId}"`);
    if (this.opts.state.check(serviceMaintenanceId(serviceId))) return;
    this.putFixedCheck({ check: serviceMaintenanceRow(serviceId, reason), source: 'remote', token, def: null, raw: null });
  }

  disableServiceMaintenance(serviceId: string): void {
    if (!this.opts.state.service(serviceId)) throw new WeftError('NOT_FOUND', `No service registered with ID "${serviceId}"`);
    const id = serviceMaintenanceId(serviceId);
    if (this.opts.state.check(id)) this.deregisterCheck(id);
  }

  /** Re-creates what the HTTP API registered before a restart; definitions from config files win. */
  restore(): void {
    const { state, persistence, log } = this.opts;
    if (!persistence) return;
    const saved = persistence.load((file, err) => log.warn({ file, err }, 'skipping unreadable saved registration'));
    for (const s of saved.services) {
      if (state.service(s.Service.ID)) {
        persistence.removeService(s.Service.ID);
        continue;
      }
      state.putService({ service: s.Service, source: 'remote', token: s.Token, ...(s.SidecarOf ? { sidecarOf: s.SidecarOf } : {}) });
    }
    for (const c of saved.checks) {
      const id = c.Check.CheckID;
      const orphan = c.Check.ServiceID !== '' && state.service(c.Check.ServiceID)?.source !== 'remote';
      if (state.check(id) || orphan) {
        persistence.removeCheckDefinition(id);
        continue;
      }
      if (c.Definition === null) {
        state.putCheck({ check: c.Check, source: 'remote', token: c.Token, def: null, raw: null });
        continue;
      }
      try {
        const def = parseCheckDefinition(c.Definition, { outputMaxSize: this.opts.outputMaxSize });
        const ttl = def.type === 'ttl' ? persistence.ttlState(id) : undefined;
        const local: LocalCheck = {
          check: checkRowFor(def, ttl ? { Status: ttl.Status, Output: ttl.Output } : undefined),
          source: 'remote',
          token: c.Token,
          def,
          raw: c.Definition,
        };
        state.putCheck(local);
        this.startRunner(local);
      } catch (err) {
        log.warn({ err, check: id }, 'skipping saved check that no longer parses');
        persistence.removeCheck(id);
      }
    }
  }

  private plan(def: ServiceDefinition, o: RegisterOptions, sidecarOf?: string): ServicePlan['entries'][number] {
    const svc = def.service;
    const many = def.checks.length > 1;
    const seen = new Set<string>();
    const checks = def.checks.map((raw, i) => {
      const d = parseCheckDefinition(raw, { serviceId: svc.ID, serviceName: svc.Service, ...(many ? { index: i } : {}), outputMaxSize: this.opts.outputMaxSize });
      if (seen.has(d.id)) throw new WeftError('BAD_REQUEST', `Invalid check: duplicate check ID "${d.id}"`);
      seen.add(d.id);
      assertAllowed(d, { scriptChecksEnabled: this.opts.scriptChecksEnabled(o.source), source: o.source });
      return { def: d, raw: canonicalRaw(raw, d) };
    });
    const entry: LocalService = { service: svc, source: o.source, token: def.token || o.token, ...(sidecarOf ? { sidecarOf } : {}) };
    return { entry, checks };
  }

  private applyEntry(entry: LocalService, planned: PlannedCheck[], replaceExisting: boolean): void {
    const { state, runners } = this.opts;
    const id = entry.service.ID;
    const before = state.checksOf(id);
    const locals = planned.map((p) => this.localCheck(p, entry.source, entry.token));
    for (const c of locals) runners.stop(c.check.CheckID);
    state.putService(entry, locals);
    if (replaceExisting) {
      const keep = new Set(locals.map((c) => c.check.CheckID));
      for (const old of before) if (!keep.has(old.check.CheckID) && old.def) this.deregisterCheck(old.check.CheckID);
    }
    for (const c of locals) this.startRunner(c);
    const { persistence } = this.opts;
    if (persistence && entry.source === 'remote') {
      persistence.saveService({ Service: entry.service, Token: entry.token, ...(entry.sidecarOf ? { SidecarOf: entry.sidecarOf } : {}) });
    } else persistence?.removeService(id);
    this.persistChecks(entry.source, locals);
  }

  private localCheck(p: PlannedCheck, source: RegistrationSource, token: string): LocalCheck {
    const prev = this.opts.state.check(p.def.id)?.check;
    const ttl = !prev && p.def.type === 'ttl' ? this.opts.persistence?.ttlState(p.def.id) : undefined;
    const carried = prev && prev.Status !== 'maintenance' ? prev : ttl ? { Status: ttl.Status, Output: ttl.Output } : undefined;
    return { check: checkRowFor(p.def, carried), source, token: p.def.token ?? token, def: p.def, raw: p.raw };
  }

  private startRunner(c: LocalCheck): void {
    if (!c.def) return;
    const status = c.check.Status === 'maintenance' ? 'critical' : c.check.Status;
    this.opts.runners.start(c.def, c.source, { status, output: c.check.Output });
  }

  private putFixedCheck(c: LocalCheck): void {
    this.opts.state.putCheck(c);
    this.persistChecks('remote', [c]);
  }

  private persistChecks(source: RegistrationSource, checks: LocalCheck[]): void {
    const { persistence } = this.opts;
    if (!persistence) return;
    for (const c of checks) {
      if (source === 'remote') persistence.saveCheck({ Check: c.check, Definition: c.raw, Token: c.token });
      else persistence.removeCheckDefinition(c.check.CheckID);
    }
  }
}

/** The definition as registered, with its identity spelled canonically, so it re-parses to the same check. */
function canonicalRaw(raw: Record<string, unknown>, def: CheckDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!IDENTITY_KEYS.has(k.replace(/[_-]/g, '').toLowerCase())) out[k] = v;
  out.CheckID = def.id;
  out.Name = def.name;
  if (def.serviceId) out.ServiceID = def.serviceId;
  return out;
}
