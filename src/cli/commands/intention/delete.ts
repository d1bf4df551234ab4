import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { httpFlags } from '../../http-flags.js';

export const intentionDeleteCommand = defineCommand({
  name: 'intention delete',
  synopsis: 'Delete an intention.',
  usage: 'SRC DST | ID',
  help: `
    Delete an intention. This cannot be reversed. The intention can be looked
    up via an exact source/destination match or via the unique intention ID.

        $ weft intention delete web db
  `,
  flags: { ...httpFlags },
  async run({ flags, args, io }) {
    if (args.length !== 1 && args.length !== 2) {
      io.stderr('command requires exactly 1 or 2 arguments\n');
      return 1;
    }
    const client = apiClient(flags, io);
    try {
      if (args.length === 1) await client.delete(`/v1/connect/intentions/${encodeURIComponent(args[0])}`);
      else await client.delete('/v1/connect/intentions/exact', { query: { source: args[0], destination: args[1] } });
    } catch (err) {
      io.stderr(`Error deleting the intention: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    io.stdout('Intention deleted.\n');
    return 0;
  },
});
