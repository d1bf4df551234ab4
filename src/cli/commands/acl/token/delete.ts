import { apiClient } from '../../../client.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { tokenAccessorFromPartial } from '../lookup.js';

export const aclTokenDeleteCommand = defineCommand({
  name: 'acl token delete',
  synopsis: 'Delete an ACL token',
  usage: '-accessor-id TOKEN',
  help: `
    Deletes an ACL token by providing either the ID or a unique ID prefix.

    Delete by prefix:

        $ weft acl token delete -accessor-id b6b85

    Delete by full ID:

        $ weft acl token delete -accessor-id b6b856da-5193-4e78-845a-7d61ca8371ba
  `,
  flags: {
    ...httpFlags,
    'accessor-id': flag.string('The Accessor ID of the token to delete. It may be specified as a unique ID prefix but will error if the prefix matches multiple token Accessor IDs'),
    id: flag.string('DEPRECATED. Use -accessor-id instead.', '', { hidden: true }),
  },
  async run({ flags, io }) {
    const fail = (msg: string) => (io.stderr(`${msg}\n`), 1);
    const partial = flags['accessor-id'] || flags.id;
    if (!partial) return fail('Must specify the -accessor-id parameter');
    const client = apiClient(flags, io);
    try {
      let id: string;
      try {
        id = await tokenAccessorFromPartial(client, partial);
      } catch (err) {
        return fail(`Error determining token ID: ${(err as Error).message}`);
      }
      try {
        await client.delete(`/v1/acl/token/${id}`);
      } catch (err) {
        return fail(`Error deleting token ${JSON.stringify(id)}: ${(err as Error).message}`);
      }
      io.stdout(`Token ${JSON.stringify(id)} deleted successfully\n`);
      return 0;
    } finally {
      client.close();
    }
  },
});
