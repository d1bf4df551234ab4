import type { Logger } from 'pino';
import type { AccessLevel, Resource } from '../../http/authorizer.js';
import { nodeChecks, nodeServices, type CheckInput, type CheckRow, type ServiceInput, type ServiceRow, type StateStore } from '../../state/index.js';
import type { NodeSyncRequest } from '../anti-entropy.js';
import { canonicalJson } from '../canonical-json.js';

/** May `token` do this? False for a refusal and for a token the servers do not know. */
export type Allows = (token: string, resource: Resource, access: AccessLevel) => boolean;

const serviceBody = ({ Node: _n, CreateIndex: _c, ModifyIndex: _m, ...rest }: ServiceRow): ServiceInput => rest;
const checkBody = ({ Node: _n, ServiceName: _s, ServiceTags: _t, CreateIndex: _c, ModifyIndex: _m, ...rest }: CheckRow): CheckInput => rest;

/**
 * A client agent's sync, as the ACLs let it through (Consul's anti-entropy sends each service
 * and check with its own token): a service or check that would change is written only if the
 * token it was registered with (else the agent's, the request's) holds write on it; otherwise
 * the catalog keeps what it had — a new one is left out — and the refusal is logged, as
 * Consul's "blocked by ACLs". Removals need nothing more than the agent token's node:write,
 * which the caller has checked.
 */
export function vetNodeSync(req: NodeSyncRequest, agentToken: string, allows: Allows, store: StateStore, log: Logger): NodeSyncRequest {
  const node = req.Node.Node;
  const current = new Map(nodeServices(store, null, node).services.map((s) => [s.ID, s]));
  const currentChecks = new Map(nodeChecks(store, null, node).checks.map((c) => [c.CheckID, c]));
  const tokens = req.Tokens ?? { Services: {}, Checks: {} };
  const serviceToken = (id: string) => tokens.Services[id] || agentToken;

  const services: ServiceInput[] = [];
  const dropped = new Set<string>();
  for (const s of req.Services) {
    const existing = current.get(s.ID);
    if (existing && canonicalJson(serviceBody(existing)) === canonicalJson(s)) {
      services.push(s);
      continue;
    }
    const token = serviceToken(s.ID);
    const names = [s.Service, ...(existing && existing.Service !== s.Service ? [existing.Service] : []), ...(s.Kind === 'connect-proxy' && s.Proxy?.DestinationServiceName ? [s.Proxy.DestinationServiceName] : [])];
    if (names.every((name) => allows(token, { kind: 'service', name }, 'write'))) {
      services.push(s);
      continue;
    }
    log.warn({ node, service: s.ID }, 'service registration blocked by ACLs');
    if (existing) services.push(serviceBody(existing));
    else dropped.add(s.ID);
  }

  const nameOf = new Map(services.map((s) => [s.ID, s.Service]));
  const checks: CheckInput[] = [];
  for (const c of req.Checks) {
    if (c.ServiceID && dropped.has(c.ServiceID)) continue;
    const existing = currentChecks.get(c.CheckID);
    if (existing && canonicalJson(checkBody(existing)) === canonicalJson(c)) {
      checks.push(c);
      continue;
    }
    const token = tokens.Checks[c.CheckID] || (c.ServiceID ? serviceToken(c.ServiceID) : agentToken);
    const resource: Resource = c.ServiceID ? { kind: 'service', name: nameOf.get(c.ServiceID) ?? '' } : { kind: 'node', name: node };
    if (allows(token, resource, 'write')) {
      checks.push(c);
      continue;
    }
    log.warn({ node, check: c.CheckID }, 'check registration blocked by ACLs');
    if (existing) checks.push(checkBody(existing));
  }
  return { Node: req.Node, Services: services, Checks: checks };
}
