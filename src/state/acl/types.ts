import type { PolicyRules } from '../../acl/rules.js';

/**
 * ACL rows (Consul's structs.ACLToken, ACLPolicy, ACLRole). Links are stored by ID only, as
 * Consul does, so renaming a policy or role never rewrites the tokens that use it; names
 * are filled in when a row is read.
 */
export const ACL_TOKENS = 'acl_tokens';
export const ACL_POLICIES = 'acl_policies';
export const ACL_ROLES = 'acl_roles';
export const ACL_META = 'acl_meta';

export interface AclLink {
  ID: string;
  Name?: string;
}

export interface ServiceIdentity {
  ServiceName: string;
  Datacenters?: string[];
}

export interface NodeIdentity {
  NodeName: string;
  Datacenter: string;
}

export interface TokenRow {
  AccessorID: string;
  SecretID: string;
  Description: string;
  Policies: AclLink[];
  Roles: AclLink[];
  ServiceIdentities: ServiceIdentity[];
  NodeIdentities: NodeIdentity[];
  Local: boolean;
  /** RFC 3339; absent for tokens that never expire. */
  ExpirationTime?: string;
  CreateTime: string;
  /** Base64 of a digest of the user-set fields, as Consul's []byte Hash encodes. */
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface PolicyRow {
  ID: string;
  Name: string;
  Description: string;
  Rules: string;
  Datacenters: string[];
  /** The rules parsed before the write, so resolving a token never parses. */
  Parsed: PolicyRules;
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface RoleRow {
  ID: string;
  Name: string;
  Description: string;
  Policies: AclLink[];
  ServiceIdentities: ServiceIdentity[];
  NodeIdentities: NodeIdentity[];
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** Consul's "acl-token-bootstrap" entry: whether bootstrap is still allowed, and the index it happened at. */
export interface BootstrapRow {
  Key: 'bootstrap';
  AllowBootstrap: boolean;
  ModifyIndex: number;
}

/** A link as a request gives it: by ID, or by name for the write to resolve. */
export interface LinkInput {
  ID?: string;
  Name?: string;
}

export type TokenInput = Omit<TokenRow, 'Policies' | 'Roles' | 'Hash' | 'CreateIndex' | 'ModifyIndex'> & { Policies: LinkInput[]; Roles: LinkInput[] };
export type PolicyInput = Omit<PolicyRow, 'Hash' | 'CreateIndex' | 'ModifyIndex'>;
export type RoleInput = Omit<RoleRow, 'Policies' | 'Hash' | 'CreateIndex' | 'ModifyIndex'> & { Policies: LinkInput[] };
