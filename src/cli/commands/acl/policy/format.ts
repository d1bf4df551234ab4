import type { ACLPolicy, ACLPolicyListEntry } from '../../../../api/acl.js';
import { hexHash, jsonOut } from '../output.js';

/** Consul's policy pretty format (command/acl/policy/formatter.go). */
export function formatPolicy(p: ACLPolicy, format: 'pretty' | 'json', meta: boolean): string {
  if (format === 'json') return jsonOut(p);
  const lines = [`ID:           ${p.ID}`, `Name:         ${p.Name}`, `Description:  ${p.Description}`, `Datacenters:  ${(p.Datacenters ?? []).join(', ')}`];
  if (meta) lines.push(`Hash:         ${hexHash(p.Hash)}`, `Create Index: ${p.CreateIndex}`, `Modify Index: ${p.ModifyIndex}`);
  lines.push('Rules:', p.Rules);
  return `${lines.join('\n')}\n`;
}

export function formatPolicyList(policies: ACLPolicyListEntry[], format: 'pretty' | 'json', meta: boolean): string {
  if (format === 'json') return jsonOut(policies);
  return policies
    .map((p) => {
      const lines = [`${p.Name}:`, `   ID:           ${p.ID}`, `   Description:  ${p.Description}`, `   Datacenters:  ${(p.Datacenters ?? []).join(', ')}`];
      if (meta) lines.push(`   Hash:         ${hexHash(p.Hash)}`, `   Create Index: ${p.CreateIndex}`, `   Modify Index: ${p.ModifyIndex}`);
      return `${lines.join('\n')}\n`;
    })
    .join('');
}
