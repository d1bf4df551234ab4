import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { readNamed } from '../named.js';
import { outputFlags } from '../output.js';
import { roleKind } from './kind.js';

export const aclRoleReadCommand = defineCommand({
  name: 'acl role read',
  synopsis: 'Read an ACL role',
  help: `
    This command will retrieve and print out the details of a single role.

        $ weft acl role read -id fdabbcb5-9de5-4b1a-961f-77214ae88cba
        $ weft acl role read -name my-role
  `,
  flags: {
    ...httpFlags,
    ...outputFlags,
    id: flag.string('The ID of the role to read. It may be specified as a unique ID prefix but will error if the prefix matches multiple role IDs'),
    name: flag.string('The name of the role to read.'),
  },
  run: ({ flags, io }) => readNamed(roleKind, flags, io),
});
