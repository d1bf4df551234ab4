import type { Resource } from '../authorizer.js';

/**
 * Consul's ConfigEntry.CanRead / CanWrite per kind (agent/structs/config_entry*.go):
 *
 * | kind | read | write |
 * | --- | --- | --- |
 * | service-defaults | service:read | service:write |
 * | service-router, -splitter, -resolver | service:read | service:write, and service:read on every service it sends traffic to |
 * | service-intentions | intention:read | intention:write |
 * | ingress-gateway, terminating-gateway | service:read | mesh:write |
 * | proxy-defaults, mesh, anything else | anyone | mesh:write |
 *
 * `mesh` follows `operator` when a policy gives no mesh rule, so `operator = "write"` keeps working.
 */
export interface ConfigAccess {
  /** null: anyone may read. */
  read: Resource | null;
  write: Resource[];
}

const CHAIN_KINDS = new Set(['service-router', 'service-splitter', 'service-resolver']);
const GATEWAY_KINDS = new Set(['ingress-gateway', 'terminating-gateway']);

export function configAccess(kind: string, name: string, entry?: unknown): ConfigAccess {
  const service: Resource = { kind: 'service', name };
  if (kind === 'service-intentions') return { read: { kind: 'intention', name }, write: [{ kind: 'intention', name }] };
  if (kind === 'service-defaults') return { read: service, write: [service] };
  if (CHAIN_KINDS.has(kind)) {
    const targets = [...chainTargets(entry)].filter((t) => t !== name);
    return { read: service, write: [service, ...targets.map((t): Resource => ({ kind: 'service', name: t }))] };
  }
  if (GATEWAY_KINDS.has(kind)) return { read: service, write: [{ kind: 'mesh' }] };
  return { read: null, write: [{ kind: 'mesh' }] };
}

/**
 * The services a discovery-chain entry names as destinations (router routes, splitter splits,
 * resolver redirect and failover targets): writing the entry needs read on each of them, so a
 * token cannot route traffic to services it may not even see.
 */
function chainTargets(entry: unknown): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v) out.add(v);
  };
  const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const e = obj(entry);
  for (const route of list(e.Routes)) add(obj(obj(route).Destination).Service);
  for (const split of list(e.Splits)) add(obj(split).Service);
  add(obj(e.Redirect).Service);
  for (const failover of Object.values(obj(e.Failover))) {
    add(obj(failover).Service);
    for (const target of list(obj(failover).Targets)) add(obj(target).Service);
  }
  return out;
}
