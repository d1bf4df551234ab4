import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { httpFlags } from '../../http-flags.js';

export const intentionCheckCommand = defineCommand({
  name: 'intention check',
  synopsis: 'Check whether a connection between two services is allowed.',
  usage: 'SRC DST',
  help: `
    Check whether a connection between SRC and DST would be allowed by
    Connect given the current Weft configuration. Exits 0 when allowed,
    2 when denied and 1 on an error.

        $ weft intention check web db
  `,
  flags: { ...httpFlags },
  async run({ flags, args, io }) {
    if (args.length !== 2) {
      io.stderr('Error: command requires exactly two arguments: src and dst\n');
      return 1;
    }
    const client = apiClient(flags, io);
    let allowed: boolean;
    try {
      allowed = (await client.get<{ Allowed: boolean }>('/v1/connect/intentions/check', { query: { source: args[0], destination: args[1] } })).body.Allowed;
    } catch (err) {
      io.stderr(`Error checking the connection: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    io.stdout(allowed ? 'Allowed\n' : 'Denied\n');
    return allowed ? 0 : 2;
  },
});
