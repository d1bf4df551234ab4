import { defineOp } from '../op.js';
import type { WriteTxn } from '../txn.js';
import { aclBootstrapState, type AclTables } from './reads.js';
import { ACL_META, ACL_POLICIES, ACL_TOKENS, type BootstrapRow, type PolicyInput, type RoleInput, type TokenInput, type TokenRow } from './types.js';
import { bootstrapTxn, policyDeleteTxn, policySetTxn, roleDeleteTxn, roleSetTxn, tokenDeleteTxn, tokenSetTxn } from './write.js';

export interface AclInitOp {
  type: 'acl.init';
  /** Builtin policies, created when missing (a user's rename of one is kept). */
  Policies: PolicyInput[];
  /** The anonymous token, created when missing. */
  Anonymous: TokenInput;
  /** `acl.tokens.initial_management`: created when no token has its secret, and it bootstraps ACLs. */
  InitialManagement?: TokenInput;
  [k: string]: unknown;
}

export interface AclBootstrapOp {
  type: 'acl.bootstrap';
  Token: TokenInput;
  ResetIndex: number;
  [k: string]: unknown;
}

export interface AclTokenSetOp {
  type: 'acl.token.set';
  Token: TokenInput;
  Create: boolean;
  [k: string]: unknown;
}

export interface AclPolicySetOp {
  type: 'acl.policy.set';
  Policy: PolicyInput;
  Create: boolean;
  [k: string]: unknown;
}

export interface AclRoleSetOp {
  type: 'acl.role.set';
  Role: RoleInput;
  Create: boolean;
  [k: string]: unknown;
}

export interface AclDeleteOp {
  type: 'acl.token.delete' | 'acl.policy.delete' | 'acl.role.delete';
  ID: string;
  [k: string]: unknown;
}

/** What `acl.init` still has to do; an agent skips the op when nothing is missing. */
export function aclInitNeeded(tx: AclTables, op: AclInitOp): boolean {
  const secretTaken = (secret: string) => tx.table<TokenRow>(ACL_TOKENS).countBy('secret', secret) > 0;
  return (
    op.Policies.some((p) => !tx.table(ACL_POLICIES).has(p.ID)) ||
    !tx.table(ACL_TOKENS).has(op.Anonymous.AccessorID) ||
    (op.InitialManagement !== undefined && !secretTaken(op.InitialManagement.SecretID))
  );
}

defineOp<AclInitOp>('acl.init', (tx, op) => {
  for (const p of op.Policies) if (!tx.table(ACL_POLICIES).has(p.ID)) policySetTxn(tx, p, true);
  if (!tx.table(ACL_TOKENS).has(op.Anonymous.AccessorID)) tokenSetTxn(tx, op.Anonymous, true);
  const initial = op.InitialManagement;
  if (initial && tx.table<TokenRow>(ACL_TOKENS).countBy('secret', initial.SecretID) === 0) {
    tokenSetTxn(tx, initial, true);
    // As in Consul, a configured management token counts as the bootstrap.
    if (aclBootstrapState(tx).allowed) tx.put<BootstrapRow>(ACL_META, { Key: 'bootstrap', AllowBootstrap: false, ModifyIndex: tx.index });
  }
  return true;
});

defineOp<AclBootstrapOp>('acl.bootstrap', (tx, op) => bootstrapTxn(tx, op.Token, op.ResetIndex));
defineOp<AclTokenSetOp>('acl.token.set', (tx, op) => tokenSetTxn(tx, op.Token, op.Create));
defineOp<AclPolicySetOp>('acl.policy.set', (tx, op) => policySetTxn(tx, op.Policy, op.Create));
defineOp<AclRoleSetOp>('acl.role.set', (tx, op) => roleSetTxn(tx, op.Role, op.Create));
defineOp<AclDeleteOp>('acl.token.delete', (tx, op) => tokenDeleteTxn(tx, op.ID));
defineOp<AclDeleteOp>('acl.policy.delete', (tx, op) => policyDeleteTxn(tx, op.ID)?.Name ?? null);
defineOp<AclDeleteOp>('acl.role.delete', (tx, op) => roleDeleteTxn(tx, op.ID)?.Name ?? null);
