import type { ACLToken } from '../../../../api/acl.js';
import { apiClient } from '../../../client.js';
import { defineCommand } from '../../../command.js';
import { httpFlags } from '../../../http-flags.js';
import { outputFlags } from '../output.js';
import { formatTokenList } from './format.js';

export const aclTokenListCommand = defineCommand({
  name: 'acl token list',
  synopsis: 'List ACL tokens',
  help: `
    List all the ACL tokens.

        $ weft acl token list
  `,
  flags: { ...httpFlags, ...outputFlags },
  async run({ flags, io }) {
    const client = apiClient(flags, io);
    try {
      let tokens: ACLToken[];
      try {
        tokens = (await client.get<ACLToken[]>('/v1/acl/tokens')).body;
      } catch (err) {
        io.stderr(`Failed to retrieve the token list: ${(err as Error).message}\n`);
        return 1;
      }
      io.stdout(formatTokenList(tokens, flags.format, flags.meta));
      return 0;
    } finally {
      client.close();
    }
  },
});
