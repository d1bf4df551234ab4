import type { ACLPolicy, ACLRole, ACLServiceIdentity, ACLToken, ACLTokenExpanded } from '../../../../api/acl.js';
import { goTime, hexHash, jsonOut } from '../output.js';

const dcs = (s: ACLServiceIdentity): string => (s.Datacenters?.length ? s.Datacenters.join(', ') : 'all');

function header(t: ACLToken, meta: boolean): string[] {
  const lines = [
    `AccessorID:       ${t.AccessorID}`,
    `SecretID:         ${t.SecretID}`,
    `Description:      ${t.Description}`,
    `Local:            ${t.Local}`,
    `Create Time:      ${goTime(t.CreateTime)}`,
  ];
  if (t.ExpirationTime) lines.push(`Expiration Time:  ${goTime(t.ExpirationTime)}`);
  if (meta) lines.push(`Hash:             ${hexHash(t.Hash)}`, `Create Index:     ${t.CreateIndex}`, `Modify Index:     ${t.ModifyIndex}`);
  return lines;
}

/** Consul's token pretty format (command/acl/token/formatter.go). */
export function formatToken(t: ACLToken, format: 'pretty' | 'json', meta: boolean): string {
  if (format === 'json') return jsonOut(t);
  const lines = header(t, meta);
  if (t.Policies?.length) lines.push('Policies:', ...t.Policies.map((p) => `   ${p.ID} - ${p.Name}`));
  if (t.Roles?.length) lines.push('Roles:', ...t.Roles.map((r) => `   ${r.ID} - ${r.Name}`));
  if (t.ServiceIdentities?.length) lines.push('Service Identities:', ...t.ServiceIdentities.map((s) => `   ${s.ServiceName} (Datacenters: ${dcs(s)})`));
  if (t.NodeIdentities?.length) lines.push('Node Identities:', ...t.NodeIdentities.map((n) => `   ${n.NodeName} (Datacenter: ${n.Datacenter})`));
  return `${lines.join('\n')}\n`;
}

export function formatTokenList(tokens: ACLToken[], format: 'pretty' | 'json', meta: boolean): string {
  if (format === 'json') return jsonOut(tokens);
  return tokens.map((t) => formatToken(t, 'pretty', meta)).join('\n');
}

/** `-expanded`: every policy and role behind the token, then the agent defaults that fill the gaps. */
export function formatTokenExpanded(t: ACLTokenExpanded, format: 'pretty' | 'json', meta: boolean): string {
  if (format === 'json') return jsonOut(t);
  const out = header(t, meta);
  const policies = new Map(t.ExpandedPolicies.map((p) => [p.ID, p]));
  const policy = (p: ACLPolicy | undefined, indent: string) => {
    if (!p) return;
    out.push(`${indent}Policy Name: ${p.Name}`, `${indent}\tID: ${p.ID}`, `${indent}\tDescription: ${p.Description}`, `${indent}\tRules:`);
    out.push(`${indent}\t\t${p.Rules.split('\n').join(`\n${indent}\t\t`)}`, '');
  };
  const synthetic = (rules: string, indent: string) => out.push(`${indent}\tRules:${rules.split('\n').join(`\n${indent}\t\t`)}`, '');
  const identities = (owner: { ServiceIdentities?: ACLServiceIdentity[]; NodeIdentities?: ACLToken['NodeIdentities'] }, head: string, indent: string) => {
    if (owner.ServiceIdentities?.length) {
      out.push(`${head}Service Identities:`);
      for (const s of owner.ServiceIdentities) {
        const p = t.ExpandedPolicies.find((x) => x.Description === `synthetic policy for service identity "${s.ServiceName}"`);
        out.push(`${indent}Name: ${s.ServiceName} (Datacenters: ${dcs(s)})`, `${indent}\tDescription: ${p?.Description ?? ''}`);
        synthetic(p?.Rules ?? '', indent);
      }
    }
    if (owner.NodeIdentities?.length) {
      out.push(`${head}Node Identities:`);
      for (const n of owner.NodeIdentities) {
        const p = t.ExpandedPolicies.find((x) => x.Description === `synthetic policy for node identity "${n.NodeName}"`);
        out.push(`${indent}Name: ${n.NodeName} (Datacenter: ${n.Datacenter})`, `${indent}\tDescription: ${p?.Description ?? ''}`);
        synthetic(p?.Rules ?? '', indent);
      }
    }
  };
  if (t.Policies?.length) {
    out.push('Policies:');
    for (const link of t.Policies) policy(policies.get(link.ID), '\t');
  }
  identities(t, '', '\t');
  const roles = new Map(t.ExpandedRoles.map((r) => [r.ID, r]));
  if (t.Roles?.length) {
    out.push('Roles:');
    for (const link of t.Roles) {
      const r: ACLRole | undefined = roles.get(link.ID);
      if (!r) continue;
      out.push(`\tRole Name: ${r.Name}`, `\t\tID: ${r.ID}`, `\t\tDescription: ${r.Description}`);
      if (r.Policies?.length) {
        out.push('\t\tPolicies:');
        for (const p of r.Policies) policy(policies.get(p.ID), '\t\t\t');
      }
      identities(r, '\t\t', '\t\t\t');
    }
  }
  out.push(
    '=== End of Authorizer Layer 0: Token ===',
    '=== Start of Authorizer Layer 2: Agent Configuration Defaults (Inherited) ===',
    'Description: Defined at request-time by the agent that resolves the ACL token; other agents may have different configuration defaults',
    `Resolved By Agent: ${JSON.stringify(t.ResolvedByAgent)}`,
    '',
    `Default Policy: ${t.AgentACLDefaultPolicy}`,
    '\tDescription: Backstop rule used if no preceding layer has a matching rule (refer to default_policy option in agent configuration)',
    '',
    `Down Policy: ${t.AgentACLDownPolicy}`,
    "\tDescription: Defines what to do if this Token's information cannot be read from the primary_datacenter (refer to down_policy option in agent configuration)",
    '',
  );
  return `${out.join('\n')}\n`;
}
