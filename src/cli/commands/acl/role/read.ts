import type { ACLRole } from '../../../../api/acl.js';
import { apiClient } from '../../../client.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { outputFlags } from '../output.js';
import { formatRole } from './format.js';
import { selectRole } from './select.js';

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
      let role: ACLRole;
      try {
        role = (await client.get<ACLRole>(`/v1/acl/role/${id}`)).body;
      } catch (err) {
        return fail(`Error reading role ${JSON.stringify(id)}: ${(err as Error).message}`);
      }
      io.stdout(formatRole(role, flags.format, flags.meta));
      return 0;
    } finally {
      client.close();
    }
  },
});
