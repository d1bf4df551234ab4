import { WeftError } from '../../lib/errors.js';
import { nodeChecks, nodeServices, type DeregisterInput, type NodeRow, type RegisterInput, type StateStore } from '../../state/index.js';
import type { AccessLevel, Resource } from '../authorizer.js';

/** Throws PERMISSION_DENIED (or ACL_NOT_FOUND) when the request's token may not. */
export type Check = (resource: Resource, access: AccessLevel) => void;

function sameMap(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** Consul's RegisterRequest.ChangesNode: would this registration create or alter the node itself? */
function changesNode(input: RegisterInput, node: NodeRow | undefined): boolean {
  if (!node) return true;
  if (input.SkipNodeUpdate) return false;
  const n = input.Node;
  return (
    n.ID !== node.ID ||
    n.Node.toLowerCase() !== node.Node.toLowerCase() ||
    n.Address !== node.Address ||
    n.Datacenter !== node.Datacenter ||
    !sameMap(n.TaggedAddresses, node.TaggedAddresses) ||
    !sameMap(n.Meta, node.Meta)
  );
}

/**
 * vetRegisterWithACL: node:write only when the node is new or changes (so a service can
 * re-post its node's unchanged fields without it), service:write on the service and on any
 * service it replaces by ID and on a proxy's destination, and for each check write on what it
 * belongs to.
 */
export function vetCatalogRegister(check: Check, store: StateStore, input: RegisterInput): void {
  const name = input.Node.Node;
  const current = nodeServices(store, null, name);
  if (changesNode(input, current.node)) check({ kind: 'node', name }, 'write');
  const service = input.Service;
  if (service) {
    check({ kind: 'service', name: service.Service }, 'write');
    const replaced = current.services.find((s) => s.ID === service.ID);
    if (replaced && replaced.Service !== service.Service) check({ kind: 'service', name: replaced.Service }, 'write');
    if (service.Kind === 'connect-proxy' && service.Proxy?.DestinationServiceName) check({ kind: 'service', name: service.Proxy.DestinationServiceName }, 'write');
  }
  for (const c of input.Checks ?? []) {
    if (!c.ServiceID) {
      check({ kind: 'node', name }, 'write');
      continue;
    }
    // A check of the service registered in this same request was vetted with it.
    if (service && service.ID === c.ServiceID) continue;
    // A check of a service the node does not have is refused by the write itself (400), with nothing stored.
    const other = current.services.find((s) => s.ID === c.ServiceID);
    if (other) check({ kind: 'service', name: other.Service }, 'write');
  }
}

/**
 * vetDeregisterWithACL: node:write allows any removal on the node (an agent whose token lost
 * a service's write can still clean it up); otherwise a service needs service:write, a check
 * write on what it belongs to, and the whole node node:write.
 */
export function vetCatalogDeregister(check: Check, store: StateStore, input: DeregisterInput): void {
  const node = input.Node;
  try {
    check({ kind: 'node', name: node }, 'write');
    return;
  } catch (err) {
    if ((err as WeftError).code !== 'PERMISSION_DENIED') throw err;
    if (input.ServiceID) {
      const s = nodeServices(store, null, node).services.find((x) => x.ID === input.ServiceID);
      if (!s) throw new WeftError('NOT_FOUND', `Unknown service ID '${input.ServiceID}'`);
      check({ kind: 'service', name: s.Service }, 'write');
    } else if (input.CheckID) {
      const c = nodeChecks(store, null, node).checks.find((x) => x.CheckID === input.CheckID);
      if (!c) throw new WeftError('NOT_FOUND', `Unknown check ID '${input.CheckID}'`);
      if (!c.ServiceID) throw err;
      check({ kind: 'service', name: c.ServiceName }, 'write');
    } else {
      throw err;
    }
  }
}
