import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';
import { EntryInputError, loadSource, parseEntry } from './entry-source.js';

export const configWriteCommand = defineCommand({
  name: 'config write',
  synopsis: 'Create or update a centralized config entry',
  usage: '<configuration>',
  help: `
    Request a config entry to be created or updated. The configuration argument
    is either a file path or '-' to indicate that the config should be read from
    stdin. The data should be either in HCL or JSON form; keys may be written in
    PascalCase or snake_case, as in Consul.

    Example (from file):

        $ weft config write web.service.hcl

    Example (from stdin):

        $ weft config write -

    The entry is validated before it is stored, together with every discovery
    chain it takes part in: a router on a tcp service, splits that do not add up
    to 100 or a route to a subset no resolver defines are refused with the reason.
  `,
  flags: {
    ...httpFlags,
    cas: flag.bool('Perform a Check-And-Set operation. Specifying this value also requires the -modify-index flag to be set. The default value is false.'),
    'modify-index': flag.uint('Unsigned integer representing the ModifyIndex of the config entry. This is used in combination with the -cas flag.'),
  },
  async run({ flags, args, io }) {
    if (args.length !== 1) {
      io.stderr('Must provide exactly one positional argument to specify the config entry to write\n');
      return 1;
    }
    let entry;
    try {
      entry = await parseEntry(await loadSource(args[0], io), args[0] === '-' ? 'stdin.hcl' : args[0]);
    } catch (err) {
      if (!(err instanceof EntryInputError)) throw err;
      io.stderr(`${err.message}\n`);
      return 1;
    }
    const client = apiClient(flags, io);
    let written: boolean;
    try {
      const query = flags.cas ? { cas: flags['modify-index'] } : {};
      written = (await client.put<boolean>('/v1/config', { body: entry.body, query })).body === true;
    } catch (err) {
      io.stderr(`Error writing config entry ${entry.kind}/${entry.name}: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    if (!written) {
      io.stderr(`Config entry not updated: ${entry.kind}/${entry.name}\n`);
      return 1;
    }
    io.stdout(`Config entry written: ${entry.kind}/${entry.name}\n`);
    return 0;
  },
});
