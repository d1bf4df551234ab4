import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { httpFlags } from '../../http-flags.js';
import { columns } from '../../table.js';
import { rfc850 } from './format.js';
import { findIntention, notFoundMessage } from './lookup.js';

export const intentionGetCommand = defineCommand({
  name: 'intention get',
  synopsis: 'Show information about an intention.',
  usage: 'SRC DST | ID',
  help: `
    Read and show the details about an intention. The intention can be looked
    up via an exact source/destination match or via the unique intention ID.

        $ weft intention get web db
  `,
  flags: { ...httpFlags },
  async run({ flags, args, io }) {
    if (args.length !== 1 && args.length !== 2) {
      io.stderr('command requires exactly 1 or 2 arguments\n');
      return 1;
    }
    const client = apiClient(flags, io);
    let ixn;
    try {
      ixn = await findIntention(client, args);
    } catch (err) {
      io.stderr(`Error reading the intention: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    if (!ixn) {
      io.stderr(`${notFoundMessage(args)}\n`);
      return 1;
    }
    const rows = [
      ['Source:', ixn.SourceName],
      ['Destination:', ixn.DestinationName],
    ];
    if (ixn.Action) rows.push(['Action:', ixn.Action]);
    if (ixn.ID) rows.push(['ID:', ixn.ID]);
    if (ixn.Description) rows.push(['Description:', ixn.Description]);
    for (const k of Object.keys(ixn.Meta ?? {}).sort()) rows.push([`Meta[${k}]:`, ixn.Meta![k]]);
    rows.push(['Precedence:', String(ixn.Precedence)]);
    if (ixn.CreatedAt) rows.push(['Created At:', rfc850(ixn.CreatedAt)]);
    io.stdout(columns(rows));
    if (ixn.Permissions?.length) io.stdout(`Permissions:\n${JSON.stringify(ixn.Permissions, null, 2)}\n`);
    return 0;
  },
});
