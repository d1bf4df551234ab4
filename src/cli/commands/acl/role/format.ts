import type { ACLRole, ACLServiceIdentity } from '../../../../api/acl.js';
import { hexHash, jsonOut } from '../output.js';

const dcs = (s: ACLServiceIdentity): string => (s.Datacenters?.length ? s.Datacenters.join(', ') : 'all');

function lines(r: ACLRole, meta: boolean, pad: string, item: string): string[] {
  const out = [`${pad}ID:           ${r.ID}`];
  if (!pad) out.push(`Name:         ${r.Name}`);
  out.push(`${pad}Description:  ${r.Description}`);
  if (meta) out.push(`${pad}Hash:         ${hexHash(r.Hash)}`, `${pad}Create Index: ${r.CreateIndex}`, `${pad}Modify Index: ${r.ModifyIndex}`);
  if (r.Policies?.length) out.push(`${pad}Policies:`, ...r.Policies.map((p) => `${item}${p.ID} - ${p.Name}`));
  if (r.ServiceIdentities?.length) out.push(`${pad}Service Identities:`, ...r.ServiceIdentities.map((s) => `${item}${s.ServiceName} (Datacenters: ${dcs(s)})`));
  if (r.NodeIdentities?.length) out.push(`${pad}Node Identities:`, ...r.NodeIdentities.map((n) => `${item}${n.NodeName} (Datacenter: ${n.Datacenter})`));
  return out;
}

/** Consul's role pretty format (command/acl/role/formatter.go). */
export function formatRole(r: ACLRole, format: 'pretty' | 'json', meta: boolean): string {
  if (format === 'json') return jsonOut(r);
  return `${lines(r, meta, '', '   ').join('\n')}\n`;
}

export function formatRoleList(roles: ACLRole[], format: 'pretty' | 'json', meta: boolean): string {
  if (format === 'json') return jsonOut(roles);
  return roles.map((r) => `${[`${r.Name}:`, ...lines(r, meta, '   ', '      ')].join('\n')}\n`).join('');
}
