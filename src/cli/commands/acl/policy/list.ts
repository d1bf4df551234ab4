import type { ACLPolicyListEntry } from '../../../../api/acl.js';
import { apiClient } from '../../../client.js';
import { defineCommand } from '../../../command.js';
import { httpFlags } from '../../../http-flags.js';
import { outputFlags } from '../output.js';
import { formatPolicyList } from './format.js';

export const aclPolicyListCommand = defineCommand({
  name: 'acl policy list',
  synopsis: 'Lists ACL policies',
  help: `
    Lists all the ACL policies.

        $ weft acl policy list
  `,
  flags: { ...httpFlags, ...outputFlags },
  async run({ flags, io }) {
    const client = apiClient(flags, io);
    try {
      let policies: ACLPolicyListEntry[];
      try {
        policies = (await client.get<ACLPolicyListEntry[]>('/v1/acl/policies')).body;
      } catch (err) {
        io.stderr(`Failed to retrieve the policy list: ${(err as Error).message}\n`);
        return 1;
      }
      io.stdout(formatPolicyList(policies, flags.format, flags.meta));
      return 0;
    } finally {
      client.close();
    }
  },
});
