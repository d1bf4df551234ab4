/**
 * Refuses a config-entry write or delete that would leave some discovery chain unable to
 * compile: a router on a service that turned tcp, a route to a subset a resolver no longer
 * defines, a redirect loop, a split to a service of another protocol. As in Consul, the
 * chains checked are the changed service's own and those of every service whose router,
 * splitter or resolver leads to it (followed transitively); a proxy-defaults change checks
 * every chain that has any of those entries.
 */
import {
  PROXY_DEFAULTS,
  SERVICE_DEFAULTS,
  SERVICE_RESOLVER,
  SERVICE_ROUTER,
  SERVICE_SPLITTER,
  defineConfigGraphCheck,
  type ConfigEntryInput,
  type ConfigView,
  type ServiceResolverEntry,
  type ServiceRouterEntry,
  type ServiceSplitterEntry,
} from '../state/index.js';
import { compileDiscoveryChain } from './compile.js';

const CHAIN_KINDS = [SERVICE_ROUTER, SERVICE_SPLITTER, SERVICE_RESOLVER] as const;
const RELEVANT = new Set<string>([...CHAIN_KINDS, SERVICE_DEFAULTS, PROXY_DEFAULTS]);

/** Placeholders: whether a chain compiles does not depend on where it is evaluated. */
const CHECK_DATACENTER = 'dc1';
const CHECK_TRUST_DOMAIN = 'weft-validation.consul';

/** The other services an entry sends traffic to (Consul's ListRelatedServices). */
export function relatedServices(entry: ConfigEntryInput): string[] {
  const out = new Set<string>();
  if (entry.Kind === SERVICE_ROUTER) {
    for (const r of (entry as ServiceRouterEntry).Routes ?? []) if (r.Destination?.Service) out.add(r.Destination.Service);
  } else if (entry.Kind === SERVICE_SPLITTER) {
    for (const s of (entry as ServiceSplitterEntry).Splits ?? []) if (s.Service) out.add(s.Service);
  } else if (entry.Kind === SERVICE_RESOLVER) {
    const e = entry as ServiceResolverEntry;
    if (e.Redirect?.Service) out.add(e.Redirect.Service);
    for (const f of Object.values(e.Failover ?? {})) {
      if (f.Service) out.add(f.Service);
      for (const t of f.Targets ?? []) if (t.Service) out.add(t.Service);
    }
  }
  out.delete(entry.Name);
  return [...out];
}

/** The services whose chains may compile differently after `changed` changed. */
export function affectedChains(view: ConfigView, changed: { kind: string; name: string }): string[] {
  const chainEntries = CHAIN_KINDS.flatMap((k) => view.list(k));
  if (changed.kind === PROXY_DEFAULTS) return [...new Set(chainEntries.map((e) => e.Name))].sort();
  const affected = new Set([changed.name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of chainEntries) {
      if (affected.has(e.Name)) continue;
      if (relatedServices(e).some((s) => affected.has(s))) {
        affected.add(e.Name);
        grew = true;
      }
    }
  }
  return [...affected].sort();
}

export function checkChainsCompile(view: ConfigView, changed: { kind: string; name: string }): void {
  if (!RELEVANT.has(changed.kind)) return;
  for (const service of affectedChains(view, changed)) {
    compileDiscoveryChain(view, { serviceName: service, datacenter: CHECK_DATACENTER, trustDomain: CHECK_TRUST_DOMAIN });
  }
}

defineConfigGraphCheck(checkChainsCompile);
