import type { ACLToken } from '../../../../api/acl.js';
import type { ApiClient } from '../../../../api/index.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { tokenAccessorFromPartial } from '../lookup.js';
import { outputFlags } from '../output.js';
import { failOn, withTarget } from '../target.js';
import { formatToken } from './format.js';

export const aclTokenCloneCommand = defineCommand({
  name: 'acl token clone',
  synopsis: 'Clone an ACL token',
  help: `
    This command will clone a token. When cloning an alternate description may
    be given for use with the new token.

        $ weft acl token clone -accessor-id abcd -description "replication"
  `,
  flags: {
    ...httpFlags,
    ...outputFlags,
    'accessor-id': flag.string('The Accessor ID of the token to clone. It may be specified as a unique ID prefix but will error if the prefix matches multiple token Accessor IDs'),
    id: flag.string('DEPRECATED. Use -accessor-id instead.', '', { hidden: true }),
    description: flag.string('A description of the new cloned token'),
  },
  async run({ flags, io }) {
    const partial = flags['accessor-id'] || flags.id;
    if (!partial) return failOn(io)('Cannot clone a token without specifying the -accessor-id parameter');
    const resolve = (client: ApiClient) => tokenAccessorFromPartial(client, partial);
    return withTarget('token', flags, io, resolve, async ({ client, id, fail }) => {
      let token: ACLToken;
      try {
        token = (await client.put<ACLToken>(`/v1/acl/token/${id}/clone`, { body: { Description: flags.description } })).body;
      } catch (err) {
        return fail(`Error cloning token: ${(err as Error).message}`);
      }
      io.stdout(formatToken(token, flags.format, flags.meta));
      return 0;
    });
  },
});
