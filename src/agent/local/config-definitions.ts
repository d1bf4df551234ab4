import { WeftError, isWeftError } from '../../lib/errors.js';
import { canonicalJson } from '../canonical-json.js';
import { sidecarIdFor } from '../../services/index.js';
import type { ServiceInput } from '../../state/index.js';
import type { LocalRegistry, ServicePlan } from './registry.js';
import type { LocalState } from './state.js';

export interface ConfigChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/**
 * The services and checks the agent's config files define (`service {}`, `services []`,
 * `check {}`, `checks []`). Applying a new set — at start, on `weft reload`, on SIGHUP —
 * validates every definition first, then registers the added and changed ones and removes
 * the ones no longer in any file. Unchanged definitions are left alone: their checks keep
 * running and the catalog sees no write.
 */
export class ConfigDefinitions {
  private services = new Map<string, string>();
  private checks = new Map<string, string>();

  constructor(
    private readonly registry: LocalRegistry,
    private readonly state: LocalState,
  ) {}

  apply(services: Record<string, unknown>[], checks: Record<string, unknown>[], token: string): ConfigChanges {
    const opts = { source: 'local' as const, token, replaceExistingChecks: true };
    const changes: ConfigChanges = { added: [], changed: [], removed: [] };

    // Validate everything before touching anything: a bad file changes nothing.
    const nextServices = new Map<string, { text: string; plan: ServicePlan | null }>();
    const pending: ServiceInput[] = [];
    services.forEach((raw, i) => {
      const text = canonicalJson(raw);
      const plan = at(`services[${i}]`, () => this.registry.planService(raw, opts, pending));
      const id = plan.entries[0].entry.service.ID;
      if (nextServices.has(id)) throw new WeftError('CONFIG_INVALID', `services[${i}]: service ID "${id}" is defined twice`);
      const unchanged = this.services.get(id) === text && this.state.service(id)?.source === 'local';
      nextServices.set(id, { text, plan: unchanged ? null : plan });
      pending.push(...plan.entries.map((e) => e.entry.service));
    });
    const nextChecks = new Map<string, { text: string; raw: Record<string, unknown> }>();
    checks.forEach((raw, i) => {
      const planned = at(`checks[${i}]`, () => this.registry.planCheck(raw, opts, new Set(nextServices.keys())));
      nextChecks.set(planned.def.id, { text: canonicalJson(raw), raw });
    });

    for (const [id, next] of nextServices) {
      if (!next.plan) continue;
      (this.services.has(id) ? changes.changed : changes.added).push(id);
      this.registry.applyService(next.plan, opts);
      // A definition that no longer asks for a sidecar takes the old one away (Consul reloads from scratch).
      const sidecar = this.state.service(sidecarIdFor(id));
      if (next.plan.entries.length === 1 && sidecar?.sidecarOf === id) this.registry.deregisterService(sidecar.service.ID);
    }
    for (const id of this.services.keys()) {
      if (nextServices.has(id) || this.state.service(id)?.source !== 'local') continue;
      this.registry.deregisterService(id);
      changes.removed.push(id);
    }
    this.services = new Map([...nextServices].map(([id, n]) => [id, n.text]));

    for (const [id, next] of nextChecks) {
      if (this.checks.get(id) === next.text && this.state.check(id)?.source === 'local') continue;
      (this.checks.has(id) ? changes.changed : changes.added).push(id);
      this.registry.registerCheck(next.raw, opts);
    }
    for (const id of this.checks.keys()) {
      if (nextChecks.has(id) || this.state.check(id)?.source !== 'local') continue;
      this.registry.deregisterCheck(id);
      changes.removed.push(id);
    }
    this.checks = new Map([...nextChecks].map(([id, n]) => [id, n.text]));
    return changes;
  }
}

function at<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isWeftError(err)) throw new WeftError('CONFIG_INVALID', `${where}: ${err.message}`);
    throw err;
  }
}
