import type { ApiClient } from '../../../api/index.js';
import type { ACLPolicy, ACLPolicyListEntry, ACLRole, ACLToken } from '../../../api/acl.js';

/**
 * Consul's command/acl helpers: an ID may be given as a unique prefix (`-accessor-id b6b85`),
 * and the builtin names stand for their IDs.
 */
const ANONYMOUS_ACCESSOR_ID = '00000000-0000-0000-0000-000000000002';
const GLOBAL_MANAGEMENT_ID = '00000000-0000-0000-0000-000000000001';

function unique(ids: string[], partial: string, what: string): string {
  if (partial.length === 36) return partial;
  const hits = ids.filter((id) => id.startsWith(partial));
  if (hits.length > 1) throw new Error(`Partial ${what} ID is not unique`);
  if (hits.length === 0) throw new Error(`No such ${what} ID with prefix: ${partial}`);
  return hits[0];
}

export async function tokenAccessorFromPartial(client: ApiClient, partial: string): Promise<string> {
  if (partial === 'anonymous') return ANONYMOUS_ACCESSOR_ID;
  if (partial.length === 36) return partial;
  const tokens = (await client.get<ACLToken[]>('/v1/acl/tokens')).body;
  return unique(tokens.map((t) => t.AccessorID), partial, 'token');
}

export async function policyIdFromPartial(client: ApiClient, partial: string): Promise<string> {
  if (partial === 'global-management') return GLOBAL_MANAGEMENT_ID;
  if (partial.length === 36) return partial;
  const policies = (await client.get<ACLPolicyListEntry[]>('/v1/acl/policies')).body;
  return unique(policies.map((p) => p.ID), partial, 'policy');
}

/** The ID of the policy or role called `name`. */
export async function idByName(client: ApiClient, noun: 'policy' | 'role', name: string): Promise<string> {
  const r = await client.get<ACLPolicy | ACLRole>(`/v1/acl/${noun}/name/${encodeURIComponent(name)}`, { accept: [404] });
  if (r.status === 404) throw new Error(`No such ${noun} with name ${name}`);
  return r.body.ID;
}

export async function roleIdFromPartial(client: ApiClient, partial: string): Promise<string> {
  if (partial.length === 36) return partial;
  const roles = (await client.get<ACLRole[]>('/v1/acl/roles')).body;
  return unique(roles.map((r) => r.ID), partial, 'role');
}
