import type { ACLPolicy } from '../../../../api/acl.js';
import { apiClient } from '../../../client.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { outputFlags } from '../output.js';
import { formatPolicy } from './format.js';
import { selectPolicy } from './select.js';

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
  async run({ flags, io }) {
    const fail = (msg: string) => (io.stderr(`${msg}\n`), 1);
    if (!flags.id && !flags.name) return fail('Must specify either the -id or -name parameters');
    const client = apiClient(flags, io);
    try {
      let id: string;
      try {
        id = await selectPolicy(client, flags.id, flags.name);
      } catch (err) {
        return fail(`Error determining policy ID: ${(err as Error).message}`);
      }
      let policy: ACLPolicy;
      try {
        policy = (await client.get<ACLPolicy>(`/v1/acl/policy/${id}`)).body;
      } catch (err) {
        return fail(`Error reading policy ${JSON.stringify(id)}: ${(err as Error).message}`);
      }
      io.stdout(formatPolicy(policy, flags.format, flags.meta));
      return 0;
    } finally {
      client.close();
    }
  },
});
