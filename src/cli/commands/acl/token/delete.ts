import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { tokenAccessorFromPartial } from '../lookup.js';
import { deleteFound, failOn, withTarget } from '../target.js';

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
    const partial = flags['accessor-id'] || flags.id;
    if (!partial) return failOn(io)('Must specify the -accessor-id parameter');
    return withTarget('token', flags, io, (client) => tokenAccessorFromPartial(client, partial), (found) => deleteFound('token', found));
  },
});
