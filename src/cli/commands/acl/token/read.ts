import type { ACLToken, ACLTokenExpanded } from '../../../../api/acl.js';
import type { ApiClient } from '../../../../api/index.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { tokenAccessorFromPartial } from '../lookup.js';
import { outputFlags } from '../output.js';
import { failOn, withTarget } from '../target.js';
import { formatToken, formatTokenExpanded } from './format.js';

export const aclTokenReadCommand = defineCommand({
  name: 'acl token read',
  synopsis: 'Read an ACL token',
  help: `
    This command will retrieve and print out the details of a single token.

    Using a partial ID:

        $ weft acl token read -accessor-id 4be56c77-82

    Using the full ID:

        $ weft acl token read -accessor-id 4be56c77-8244-4c7d-b08c-667b8c71baed

    Reading the token the request is made with:

        $ weft acl token read -self
  `,
  flags: {
    ...httpFlags,
    ...outputFlags,
    'accessor-id': flag.string('The Accessor ID of the token to read. It may be specified as a unique ID prefix but will error if the prefix matches multiple token Accessor IDs'),
    id: flag.string('DEPRECATED. Use -accessor-id instead.', '', { hidden: true }),
    self: flag.bool('Indicates that the current HTTP token should be read by secret ID instead of expecting a -accessor-id option'),
    expanded: flag.bool('Indicates that the contents of the policies and roles affecting the token should also be shown.'),
  },
  async run({ flags, io }) {
    const partial = flags['accessor-id'] || flags.id;
    if (!partial && !flags.self) return failOn(io)('Must specify the -accessor-id parameter');
    // -self reads the request's own token: there is nothing to look up.
    const resolve = async (client: ApiClient) => (flags.self ? 'self' : tokenAccessorFromPartial(client, partial));
    return withTarget('token', flags, io, resolve, async ({ client, id, fail }) => {
      let token: ACLToken;
      try {
        token = (await client.get<ACLToken>(`/v1/acl/token/${id}`, { query: { expanded: flags.expanded && !flags.self } })).body;
      } catch (err) {
        return fail(`Error reading token ${JSON.stringify(id)}: ${(err as Error).message}`);
      }
      if (flags.expanded && !flags.self) io.stdout(formatTokenExpanded(token as ACLTokenExpanded, flags.format, flags.meta));
      else io.stdout(formatToken(token, flags.format, flags.meta));
      return 0;
    });
  },
});
