import type { Intention } from '../../../api/connect.js';
import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';
import { intentionLine } from './format.js';

export const intentionMatchCommand = defineCommand({
  name: 'intention match',
  synopsis: 'Show intentions that match a source or destination.',
  usage: 'SRC|DST',
  help: `
    Show the list of intentions that would be enforced for a given source
    or destination. The intentions are listed in the order they would be
    evaluated.

        $ weft intention match db
        $ weft intention match -source web
  `,
  flags: {
    ...httpFlags,
    source: flag.bool('Match intentions with the given source.'),
    destination: flag.bool('Match intentions with the given destination.'),
  },
  async run({ flags, args, io }) {
    if (args.length !== 1) {
      io.stderr('Error: command requires exactly one argument: src or dst\n');
      return 1;
    }
    if (flags.source && flags.destination) {
      io.stderr('Error: only one of -source or -destination may be specified\n');
      return 1;
    }
    const client = apiClient(flags, io);
    let matches: Record<string, Intention[]>;
    try {
      matches = (await client.get<Record<string, Intention[]>>('/v1/connect/intentions/match', { query: { by: flags.source ? 'source' : 'destination', name: args[0] } })).body;
    } catch (err) {
      io.stderr(`Error matching the connection: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    for (const ixn of matches[args[0]] ?? []) io.stdout(`${intentionLine(ixn)}\n`);
    return 0;
  },
});
