import { CHECKS, SERVICES, checkKey, serviceKey, type CheckRow, type ServiceRow, type StateStore, type TxnOp, type TxnResult } from '../../state/index.js';
import type { ResultFilter } from '../acl-filter.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';

/**
 * ACLs for /v1/txn, as Consul's Txn.preCheck and FilterTxnResults apply them: reads are not
 * refused but their results filtered; KV check-index and check-session need read (their
 * outcome reveals the key); delete-tree needs write on every key under the prefix; every
 * other write needs write on what it changes.
 */
export function vetTxnOp(req: ApiRequest, ctx: ApiContext, op: TxnOp): void {
  const check = (r: Parameters<ApiContext['authz']['check']>[1], a: 'read' | 'write') => ctx.authz.check(req.token, r, a);
  if ('KV' in op) {
    const { Verb, Key } = op.KV;
    if (Verb === 'get' || Verb === 'get-tree') return;
    if (Verb === 'check-index' || Verb === 'check-session') return check({ kind: 'key', name: Key }, 'read');
    if (Verb === 'delete-tree' && ctx.authz.checkKeyWritePrefix) return ctx.authz.checkKeyWritePrefix(req.token, Key);
    return check({ kind: 'key', name: Key }, 'write');
  }
  if ('Node' in op) {
    if (op.Node.Verb !== 'get') check({ kind: 'node', name: op.Node.Node.Node }, 'write');
    return;
  }
  if ('Service' in op) {
    if (op.Service.Verb === 'get') return;
    const s = op.Service.Service;
    const name = s.Service || existingService(ctx.store, op.Service.Node, s.ID)?.Service || '';
    check({ kind: 'service', name }, 'write');
    if (s.Kind === 'connect-proxy' && s.Proxy?.DestinationServiceName) check({ kind: 'service', name: s.Proxy.DestinationServiceName }, 'write');
    return;
  }
  if (op.Check.Verb === 'get') return;
  const c = op.Check.Check;
  const serviceName = c.ServiceID ? c.ServiceName || existingService(ctx.store, c.Node, c.ServiceID)?.Service || existingCheck(ctx.store, c.Node, c.CheckID)?.ServiceName || '' : '';
  if (serviceName) check({ kind: 'service', name: serviceName }, 'write');
  else check({ kind: 'node', name: c.Node }, 'write');
}

const existingService = (store: StateStore, node: string, id: string) => store.table<ServiceRow>(SERVICES).get(serviceKey(node, id));
const existingCheck = (store: StateStore, node: string, id: string) => store.table<CheckRow>(CHECKS).get(checkKey(node, id));

/** Results the token may not read drop out (key:read, node:read, service:read; a check by its service, else its node). */
export function filterTxnResults(acl: ResultFilter, results: TxnResult[]): TxnResult[] {
  return results.filter((r) => {
    if (r.KV) return acl.allows({ kind: 'key', name: r.KV.Key });
    if (r.Node) return acl.allows({ kind: 'node', name: r.Node.Node });
    if (r.Service) return acl.allows({ kind: 'service', name: r.Service.Service });
    if (r.Check) return acl.allows(r.Check.ServiceName ? { kind: 'service', name: r.Check.ServiceName } : { kind: 'node', name: r.Check.Node });
    return true;
  });
}
