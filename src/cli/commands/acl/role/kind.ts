import type { ACLRole } from '../../../../api/acl.js';
import { idByName, roleIdFromPartial } from '../lookup.js';
import type { NamedKind } from '../named.js';
import { formatRole } from './format.js';

/** Roles for the commands that name one by -id or -name. */
export const roleKind: NamedKind<ACLRole> = {
  noun: 'role',
  select: (client, id, name) => (id ? roleIdFromPartial(client, id) : idByName(client, 'role', name)),
  format: formatRole,
};
