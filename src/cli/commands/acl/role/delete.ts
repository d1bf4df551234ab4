import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { deleteNamed } from '../named.js';
import { roleKind } from './kind.js';

export const aclRoleDeleteCommand = defineCommand({
  name: 'acl role delete',
  synopsis: 'Delete an ACL role',
  help: `
    Deletes an ACL role by providing either the ID, a unique ID prefix, or the name.

        $ weft acl role delete -id b6b85
        $ weft acl role delete -name my-role
  `,
  flags: {
    ...httpFlags,
    id: flag.string('The ID of the role to delete. It may be specified as a unique ID prefix but will error if the prefix matches multiple role IDs'),
    name: flag.string('The Name of the role to delete.'),
  },
  run: ({ flags, io }) => deleteNamed(roleKind, flags, io),
});
