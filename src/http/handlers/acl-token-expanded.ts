import { createHash } from 'node:crypto';
import { aclSettings, nodeIdentityRulesText, serviceIdentityRulesText, type AclAuthorizer } from '../../acl/index.js';
import type { ACLPolicy, ACLToken, ACLTokenExpanded } from '../../api/acl.js';
import { ACL_POLICIES, ACL_ROLES, roleView, type PolicyRow, type RoleRow, type TokenRow } from '../../state/index.js';
import type { ApiContext } from '../context.js';
import { policyJson, roleJson } from './acl-json.js';

/** An identity's rules as the policy Consul synthesizes for it (named after a hash of the rules). */
function synthetic(rules: string, description: string, datacenters: string[]): ACLPolicy {
  const id = createHash('sha256').update(rules).digest('hex').slice(0, 32);
  return {
    ID: id,
    Name: `synthetic-policy-${id}`,
    Description: description,
    Rules: rules,
    ...(datacenters.length ? { Datacenters: datacenters } : {}),
    Hash: createHash('sha256').update(`${id}${description}`).digest('base64'),
    CreateIndex: 0,
    ModifyIndex: 0,
  };
}

/**
 * `?expanded`: the token with every policy and role behind it and the agent defaults that
 * fill the gaps, so `weft acl token read -expanded` can explain a decision.
 */
export function expandedToken(ctx: ApiContext, acl: AclAuthorizer, token: TokenRow, json: ACLToken): ACLTokenExpanded {
  const policies = ctx.store.table<PolicyRow>(ACL_POLICIES);
  const roleTable = ctx.store.table<RoleRow>(ACL_ROLES);
  const roles = token.Roles.map((l) => roleTable.get(l.ID)).filter((r): r is RoleRow => !!r).map((r) => roleView(ctx.store, r));
  const policyIds = new Set([...token.Policies.map((p) => p.ID), ...roles.flatMap((r) => r.Policies.map((p) => p.ID))]);
  const expanded: ACLPolicy[] = [...policyIds].map((id) => policies.get(id)).filter((p): p is PolicyRow => !!p).map(policyJson);
  const services = [...token.ServiceIdentities, ...roles.flatMap((r) => r.ServiceIdentities)];
  const nodes = [...token.NodeIdentities, ...roles.flatMap((r) => r.NodeIdentities)];
  for (const s of services) expanded.push(synthetic(serviceIdentityRulesText(s.ServiceName), `synthetic policy for service identity "${s.ServiceName}"`, s.Datacenters ?? []));
  for (const n of nodes) expanded.push(synthetic(nodeIdentityRulesText(n.NodeName), `synthetic policy for node identity "${n.NodeName}"`, [n.Datacenter]));
  return {
    ...json,
    ExpandedPolicies: expanded,
    ExpandedRoles: roles.map(roleJson),
    NamespaceDefaultPolicyIDs: [],
    NamespaceDefaultRoleIDs: [],
    AgentACLDefaultPolicy: acl.defaultPolicy,
    AgentACLDownPolicy: aclSettings(ctx.agent.config).downPolicy,
    ResolvedByAgent: ctx.agent.config.nodeName,
  };
}
