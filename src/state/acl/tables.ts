import type { TableDef } from '../table.js';
import { ACL_META, ACL_POLICIES, ACL_ROLES, ACL_TOKENS, type BootstrapRow, type PolicyRow, type RoleRow, type TokenRow } from './types.js';

export const aclTables: TableDef<any>[] = [
  {
    name: ACL_TOKENS,
    primaryKey: (t: TokenRow) => t.AccessorID,
    indexes: [
      { name: 'secret', values: (t: TokenRow) => [t.SecretID] },
      { name: 'policy', values: (t: TokenRow) => t.Policies.map((p) => p.ID) },
      { name: 'role', values: (t: TokenRow) => t.Roles.map((r) => r.ID) },
      { name: 'service', values: (t: TokenRow) => t.ServiceIdentities.map((s) => s.ServiceName) },
    ],
  },
  {
    name: ACL_POLICIES,
    primaryKey: (p: PolicyRow) => p.ID,
    indexes: [{ name: 'name', values: (p: PolicyRow) => [p.Name.toLowerCase()] }],
  },
  {
    name: ACL_ROLES,
    primaryKey: (r: RoleRow) => r.ID,
    indexes: [
      { name: 'name', values: (r: RoleRow) => [r.Name.toLowerCase()] },
      { name: 'policy', values: (r: RoleRow) => r.Policies.map((p) => p.ID) },
    ],
  },
  { name: ACL_META, primaryKey: (m: BootstrapRow) => m.Key },
];
