import type { ACLLink, ACLPolicy, ACLPolicyListEntry, ACLRole, ACLToken } from '../../api/acl.js';
import { REDACTED_SECRET } from '../../acl/index.js';
import type { AclLink, NodeIdentity, PolicyRow, RoleRow, ServiceIdentity, TokenRow } from '../../state/index.js';

/** Consul's JSON leaves out empty link and identity lists (`json:",omitempty"`). */
const links = (list: readonly AclLink[]): ACLLink[] => list.map((l) => ({ ID: l.ID, Name: l.Name ?? '' }));
const services = (list: readonly ServiceIdentity[]) => list.map((s) => (s.Datacenters?.length ? { ServiceName: s.ServiceName, Datacenters: s.Datacenters } : { ServiceName: s.ServiceName }));
const nodes = (list: readonly NodeIdentity[]) => list.map((n) => ({ NodeName: n.NodeName, Datacenter: n.Datacenter }));

function grants(row: { Policies: readonly AclLink[]; ServiceIdentities: readonly ServiceIdentity[]; NodeIdentities: readonly NodeIdentity[]; Roles?: readonly AclLink[] }) {
  return {
    ...(row.Policies.length ? { Policies: links(row.Policies) } : {}),
    ...(row.Roles?.length ? { Roles: links(row.Roles) } : {}),
    ...(row.ServiceIdentities.length ? { ServiceIdentities: services(row.ServiceIdentities) } : {}),
    ...(row.NodeIdentities.length ? { NodeIdentities: nodes(row.NodeIdentities) } : {}),
  };
}

/** A token as the API shows it; its secret only to callers with acl:write. */
export function tokenJson(row: TokenRow, showSecret: boolean): ACLToken {
  return {
    AccessorID: row.AccessorID,
    SecretID: showSecret ? row.SecretID : REDACTED_SECRET,
    Description: row.Description,
    ...grants(row),
    Local: row.Local,
    ...(row.ExpirationTime ? { ExpirationTime: row.ExpirationTime } : {}),
    CreateTime: row.CreateTime,
    Hash: row.Hash,
    CreateIndex: row.CreateIndex,
    ModifyIndex: row.ModifyIndex,
  };
}

export function policyJson(row: PolicyRow): ACLPolicy {
  return {
    ID: row.ID,
    Name: row.Name,
    Description: row.Description,
    Rules: row.Rules,
    ...(row.Datacenters.length ? { Datacenters: row.Datacenters } : {}),
    Hash: row.Hash,
    CreateIndex: row.CreateIndex,
    ModifyIndex: row.ModifyIndex,
  };
}

/** A list entry: no rules, and Datacenters always present (null when none, as Go's nil slice). */
export function policyStubJson(row: PolicyRow): ACLPolicyListEntry {
  return {
    ID: row.ID,
    Name: row.Name,
    Description: row.Description,
    Datacenters: row.Datacenters.length ? row.Datacenters : null,
    Hash: row.Hash,
    CreateIndex: row.CreateIndex,
    ModifyIndex: row.ModifyIndex,
  };
}

export function roleJson(row: RoleRow): ACLRole {
  return {
    ID: row.ID,
    Name: row.Name,
    Description: row.Description,
    ...grants({ ...row, Roles: undefined }),
    Hash: row.Hash,
    CreateIndex: row.CreateIndex,
    ModifyIndex: row.ModifyIndex,
  };
}
