import type { StateStore } from '../store.js';
import type { Table } from '../table.js';
import type { WatchSet } from '../watch.js';
import { ACL_META, ACL_POLICIES, ACL_ROLES, ACL_TOKENS, type AclLink, type BootstrapRow, type PolicyRow, type RoleRow, type TokenRow } from './types.js';

/** Anything that holds the tables: the store for reads, a write transaction inside ops. */
export interface AclTables {
  table<R>(name: string): Table<R>;
}

/** Links with their current names; links to deleted policies or roles drop out, as in Consul. */
function liveLinks<R extends { ID: string; Name: string }>(tables: AclTables, table: string, links: readonly AclLink[]): AclLink[] {
  const rows = tables.table<R>(table);
  const out: AclLink[] = [];
  for (const link of links) {
    const row = rows.get(link.ID);
    if (row) out.push({ ID: row.ID, Name: row.Name });
  }
  return out;
}

export function tokenView(tables: AclTables, token: TokenRow): TokenRow {
  return { ...token, Policies: liveLinks<PolicyRow>(tables, ACL_POLICIES, token.Policies), Roles: liveLinks<RoleRow>(tables, ACL_ROLES, token.Roles) };
}

export function roleView(tables: AclTables, role: RoleRow): RoleRow {
  return { ...role, Policies: liveLinks<PolicyRow>(tables, ACL_POLICIES, role.Policies) };
}

/** A token's answer depends on its links' names too. */
const tokenIndex = (store: StateStore, ws: WatchSet | null): number => store.tableIndex(ws, ACL_TOKENS, ACL_POLICIES, ACL_ROLES);

export function aclTokenByAccessor(store: StateStore, ws: WatchSet | null, accessor: string): { index: number; token?: TokenRow } {
  const index = tokenIndex(store, ws);
  const row = store.table<TokenRow>(ACL_TOKENS).get(accessor);
  return { index, token: row && tokenView(store, row) };
}

export function aclTokenBySecret(store: StateStore, ws: WatchSet | null, secret: string): { index: number; token?: TokenRow } {
  const index = tokenIndex(store, ws);
  const [row] = store.table<TokenRow>(ACL_TOKENS).by('secret', secret);
  return { index, token: row && tokenView(store, row) };
}

export interface TokenFilter {
  policy?: string;
  role?: string;
  serviceName?: string;
}

/** Tokens sorted by AccessorID, optionally only those linking a policy, a role or a service identity. */
export function aclTokenList(store: StateStore, ws: WatchSet | null, filter: TokenFilter = {}): { index: number; tokens: TokenRow[] } {
  const index = tokenIndex(store, ws);
  const table = store.table<TokenRow>(ACL_TOKENS);
  let rows = [...table.all()];
  if (filter.policy) rows = rows.filter((t) => t.Policies.some((p) => p.ID === filter.policy));
  if (filter.role) rows = rows.filter((t) => t.Roles.some((r) => r.ID === filter.role));
  if (filter.serviceName) rows = rows.filter((t) => t.ServiceIdentities.some((s) => s.ServiceName === filter.serviceName));
  rows.sort((a, b) => (a.AccessorID < b.AccessorID ? -1 : a.AccessorID > b.AccessorID ? 1 : 0));
  return { index, tokens: rows.map((t) => tokenView(store, t)) };
}

export function aclPolicyById(store: StateStore, ws: WatchSet | null, id: string): { index: number; policy?: PolicyRow } {
  return { index: store.tableIndex(ws, ACL_POLICIES), policy: store.table<PolicyRow>(ACL_POLICIES).get(id) };
}

export function aclPolicyByName(tables: AclTables, name: string): PolicyRow | undefined {
  const [row] = tables.table<PolicyRow>(ACL_POLICIES).by('name', name.toLowerCase());
  return row;
}

export function aclPolicyGetByName(store: StateStore, ws: WatchSet | null, name: string): { index: number; policy?: PolicyRow } {
  return { index: store.tableIndex(ws, ACL_POLICIES), policy: aclPolicyByName(store, name) };
}

export function aclPolicyList(store: StateStore, ws: WatchSet | null): { index: number; policies: PolicyRow[] } {
  const index = store.tableIndex(ws, ACL_POLICIES);
  return { index, policies: [...store.table<PolicyRow>(ACL_POLICIES).all()].sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0)) };
}

export function aclRoleById(store: StateStore, ws: WatchSet | null, id: string): { index: number; role?: RoleRow } {
  const index = store.tableIndex(ws, ACL_ROLES, ACL_POLICIES);
  const row = store.table<RoleRow>(ACL_ROLES).get(id);
  return { index, role: row && roleView(store, row) };
}

export function aclRoleByName(tables: AclTables, name: string): RoleRow | undefined {
  const [row] = tables.table<RoleRow>(ACL_ROLES).by('name', name.toLowerCase());
  return row;
}

export function aclRoleGetByName(store: StateStore, ws: WatchSet | null, name: string): { index: number; role?: RoleRow } {
  const index = store.tableIndex(ws, ACL_ROLES, ACL_POLICIES);
  const row = aclRoleByName(store, name);
  return { index, role: row && roleView(store, row) };
}

/** Roles sorted by ID, optionally only those linking `policy`. */
export function aclRoleList(store: StateStore, ws: WatchSet | null, policy?: string): { index: number; roles: RoleRow[] } {
  const index = store.tableIndex(ws, ACL_ROLES, ACL_POLICIES);
  const table = store.table<RoleRow>(ACL_ROLES);
  const rows = policy ? [...table.by('policy', policy)] : [...table.all()];
  rows.sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
  return { index, roles: rows.map((r) => roleView(store, r)) };
}

/** Consul's CanBootstrapACLToken: allowed until the first bootstrap, then the index it happened at. */
export function aclBootstrapState(tables: AclTables): { allowed: boolean; resetIndex: number } {
  const row = tables.table<BootstrapRow>(ACL_META).get('bootstrap');
  return row ? { allowed: row.AllowBootstrap, resetIndex: row.ModifyIndex } : { allowed: true, resetIndex: 0 };
}

/** Changes whenever any ACL row does: the resolver's cache key. */
export function aclVersion(store: StateStore): number {
  return Math.max(...[ACL_TOKENS, ACL_POLICIES, ACL_ROLES].map((t) => store.table(t).maxIndex));
}
