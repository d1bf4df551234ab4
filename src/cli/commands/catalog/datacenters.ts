import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { httpClientFlags } from '../../http-flags.js';

export const catalogDatacentersCommand = defineCommand({
  name: 'catalog datacenters',
  synopsis: 'Lists all known datacenters',
  help: `
    Prints the datacenters the agent knows of, one per line, nearest first.

      $ weft catalog datacenters
  `,
  flags: { ...httpClientFlags },
  async run({ flags, args, io }) {
    if (args.length) {
      io.stderr(`Too many arguments (expected 0, got ${args.length})\n`);
      return 1;
    }
    const client = apiClient(flags, io);
    let dcs: string[];
    try {
      dcs = (await client.get<string[]>('/v1/catalog/datacenters')).body;
    } catch (err) {
      io.stderr(`Error listing datacenters: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    if (dcs.length === 0) {
      io.stderr('No datacenters found\n');
      return 1;
    }
    for (const dc of dcs) io.stdout(`${dc}\n`);
    return 0;
  },
});
