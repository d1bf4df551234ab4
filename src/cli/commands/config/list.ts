import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';

export const configListCommand = defineCommand({
  name: 'config list',
  synopsis: 'List centralized config entries of a given kind',
  help: `
    Lists the names of all of the config entries of a given kind. The -kind
    parameter is required.

        $ weft config list -kind service-defaults
        $ weft config list -kind service-resolver -filter 'ConnectTimeout != ""'
  `,
  flags: {
    ...httpFlags,
    kind: flag.string('The kind of configurations to list.'),
    filter: flag.string('Filter to use with the request.'),
  },
  async run({ flags, io }) {
    if (!flags.kind) {
      io.stderr('Must specify the -kind parameter\n');
      return 1;
    }
    const client = apiClient(flags, io);
    try {
      const entries = (await client.get<{ Name: string }[]>(`/v1/config/${encodeURIComponent(flags.kind)}`, { query: { filter: flags.filter || undefined } })).body;
      for (const e of entries) io.stdout(`${e.Name}\n`);
      return 0;
    } catch (err) {
      io.stderr(`Error listing config entries for kind ${JSON.stringify(flags.kind)}: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
  },
});
