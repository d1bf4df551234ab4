import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { readNamed } from '../named.js';
import { outputFlags } from '../output.js';
import { policyKind } from './kind.js';

export const aclPolicyReadCommand = defineCommand({
  name: 'acl policy read',
  synopsis: 'Read an ACL policy',
  help: `
    This command will retrieve and print out the details of a single policy.

        $ weft acl policy read -id fdabbcb5-9de5-4b1a-961f-77214ae88cba
        $ weft acl policy read -name my-policy
  `,
  flags: {
    ...httpFlags,
    ...outputFlags,
    id: flag.string('The ID of the policy to read. It may be specified as a unique ID prefix but will error if the prefix matches multiple policy IDs'),
    name: flag.string('The name of the policy to read.'),
  },
  run: ({ flags, io }) => readNamed(policyKind, flags, io),
});
