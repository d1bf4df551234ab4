import type { ACLRole } from '../../../../api/acl.js';
import { apiClient } from '../../../client.js';
import { defineCommand } from '../../../command.js';
import { httpFlags } from '../../../http-flags.js';
import { outputFlags } from '../output.js';
import { formatRoleList } from './format.js';

export const aclRoleListCommand = defineCommand({
  name: 'acl role list',
  synopsis: 'Lists ACL roles',
  help: `
    Lists all the ACL roles.

        $ weft acl role list
  `,
  flags: { ...httpFlags, ...outputFlags },
  async run({ flags, io }) {
    const client = apiClient(flags, io);
    try {
      let roles: ACLRole[];
      try {
        roles = (await client.get<ACLRole[]>('/v1/acl/roles')).body;
      } catch (err) {
        io.stderr(`Failed to retrieve the role list: ${(err as Error).message}\n`);
        return 1;
      }
      io.stdout(formatRoleList(roles, flags.format, flags.meta));
      return 0;
    } finally {
      client.close();
    }
  },
});
