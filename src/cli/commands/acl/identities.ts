import type { ACLNodeIdentity, ACLServiceIdentity } from '../../../api/acl.js';

/** `-service-identity web` or `web:dc1,dc2` (command/acl ExtractServiceIdentities). */
export function parseServiceIdentities(raw: readonly string[]): ACLServiceIdentity[] {
  return raw.map((s) => {
    const parts = s.split(':');
    if (parts.length === 1) return { ServiceName: parts[0] };
    if (parts.length === 2) return { ServiceName: parts[0], Datacenters: parts[1].split(',') };
    throw new Error(`Malformed -service-identity argument: ${JSON.stringify(s)}`);
  });
}

/** `-node-identity node1:dc1`. */
export function parseNodeIdentities(raw: readonly string[]): ACLNodeIdentity[] {
  return raw.map((s) => {
    const parts = s.split(':');
    if (parts.length !== 2) throw new Error(`Malformed -node-identity argument: ${JSON.stringify(s)}`);
    return { NodeName: parts[0], Datacenter: parts[1] };
  });
}
