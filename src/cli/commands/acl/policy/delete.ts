import { apiClient } from '../../../client.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { selectPolicy } from './select.js';

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
      try {
        await client.delete(`/v1/acl/policy/${id}`);
      } catch (err) {
        return fail(`Error deleting policy ${JSON.stringify(id)}: ${(err as Error).message}`);
      }
      io.stdout(`Policy ${JSON.stringify(id)} deleted successfully\n`);
      return 0;
    } finally {
      client.close();
    }
  },
});
