import { apiClient } from '../../../client.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { selectRole } from './select.js';

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
  async run({ flags, io }) {
    const fail = (msg: string) => (io.stderr(`${msg}\n`), 1);
    if (!flags.id && !flags.name) return fail('Must specify either the -id or -name parameters');
    const client = apiClient(flags, io);
    try {
      let id: string;
      try {
        id = await selectRole(client, flags.id, flags.name);
      } catch (err) {
        return fail(`Error determining role ID: ${(err as Error).message}`);
      }
      try {
        await client.delete(`/v1/acl/role/${id}`);
      } catch (err) {
        return fail(`Error deleting role ${JSON.stringify(id)}: ${(err as Error).message}`);
      }
      io.stdout(`Role ${JSON.stringify(id)} deleted successfully\n`);
      return 0;
    } finally {
      client.close();
    }
  },
});
