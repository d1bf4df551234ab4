import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { deleteNamed } from '../named.js';
import { policyKind } from './kind.js';

export const aclPolicyDeleteCommand = defineCommand({
  name: 'acl policy delete',
  synopsis: 'Delete an ACL policy',
  help: `
    Deletes an ACL policy by providing either the ID, a unique ID prefix, or the name.

        $ weft acl policy delete -id b6b85
        $ weft acl policy delete -name my-policy
  `,
  flags: {
    ...httpFlags,
    id: flag.string('The ID of the policy to delete. It may be specified as a unique ID prefix but will error if the prefix matches multiple policy IDs'),
    name: flag.string('The Name of the policy to delete.'),
  },
  run: ({ flags, io }) => deleteNamed(policyKind, flags, io),
});
