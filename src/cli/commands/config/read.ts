import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';

export const entryPath = (kind: string, name: string): string => `/v1/config/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`;

export const configReadCommand = defineCommand({
  name: 'config read',
  synopsis: 'Read a centralized config entry',
  help: `
    Reads the config entry specified by the given kind and name and outputs its
    JSON representation, indexes included, so that 'config write -cas' can use
    its ModifyIndex.

        $ weft config read -kind proxy-defaults -name global
  `,
  flags: {
    ...httpFlags,
    kind: flag.string('The kind of configuration to read.'),
    name: flag.string('The name of configuration to read.'),
  },
  async run({ flags, io }) {
    if (!flags.kind) {
      io.stderr('Must specify the -kind parameter\n');
      return 1;
    }
    if (!flags.name) {
      io.stderr('Must specify the -name parameter\n');
      return 1;
    }
    const client = apiClient(flags, io);
    try {
      const entry = (await client.get<unknown>(entryPath(flags.kind, flags.name))).body;
      io.stdout(`${JSON.stringify(entry, null, 4)}\n`);
      return 0;
    } catch (err) {
      io.stderr(`Error reading config entry ${JSON.stringify(flags.kind)} / ${JSON.stringify(flags.name)}: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
  },
});
