import type { ACLPolicy } from '../../../../api/acl.js';
import { idByName, policyIdFromPartial } from '../lookup.js';
import type { NamedKind } from '../named.js';
import { formatPolicy } from './format.js';

/** Policies for the commands that name one by -id or -name. */
export const policyKind: NamedKind<ACLPolicy> = {
  noun: 'policy',
  select: (client, id, name) => (id ? policyIdFromPartial(client, id) : idByName(client, 'policy', name)),
  format: formatPolicy,
};
