import type { ACLRole } from '../../../../api/acl.js';
import { apiClient } from '../../../client.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { outputFlags } from '../output.js';
import { formatRole } from './format.js';
import { roleGrantFlags, roleGrants } from './grants.js';

export const aclRoleCreateCommand = defineCommand({
  name: 'acl role create',
  synopsis: 'Create an ACL role',
  help: `
    Create a new role:

        $ weft acl role create -name "new-role" \\
                               -description "This is an example role" \\
                               -policy-id b52fc3de-5 \\
                               -policy-name "acl-replication" \\
                               -service-identity "web" \\
                               -service-identity "db:east,west"
  `,
  flags: {
    ...httpFlags,
    ...outputFlags,
    ...roleGrantFlags,
    name: flag.string("The new role's name. This flag is required."),
    description: flag.string('A description of the role'),
  },
  async run({ flags, io }) {
    const fail = (msg: string) => (io.stderr(`${msg}\n`), 1);
    if (!flags.name) return fail("Missing required '-name' flag");
    if (![flags['policy-id'], flags['policy-name'], flags['service-identity'], flags['node-identity']].some((l) => l.length)) {
      return fail('Cannot create a role without specifying -policy-name, -policy-id, -service-identity, or -node-identity at least once');
    }
    const client = apiClient(flags, io);
    try {
      let role: ACLRole;
      try {
        const grants = await roleGrants(client, flags);
        role = (await client.put<ACLRole>('/v1/acl/role', { body: { Name: flags.name, Description: flags.description, ...grants } })).body;
      } catch (err) {
        return fail(`Failed to create new role: ${(err as Error).message}`);
      }
      io.stdout(formatRole(role, flags.format, flags.meta));
      return 0;
    } finally {
      client.close();
    }
  },
});
