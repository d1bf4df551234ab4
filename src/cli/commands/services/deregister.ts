import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpClientFlags } from '../../http-flags.js';
import { definitionField, servicesFromFiles } from './files.js';

export const servicesDeregisterCommand = defineCommand({
  name: 'services deregister',
  synopsis: 'Deregister services with the local agent',
  usage: '[FILE...]',
  help: `
    Deregister one or more services that were previously registered with the local agent.

      $ weft services deregister web.json db.json

    The -id flag may be used to deregister a single service by ID:

      $ weft services deregister -id=web

    Services are deregistered from the local agent catalog. This command must be run
    against the same agent where the service was registered.
  `,
  flags: {
    ...httpClientFlags,
    id: flag.string('ID to delete. This must not be set if arguments are given.'),
  },
  async run({ flags, args, io }) {
    if (args.length === 0 && flags.id === '') {
      io.stderr('Service deregistration requires at least one argument or -id.\n');
      return 1;
    }
    if (args.length > 0 && flags.id !== '') {
      io.stderr('Service deregistration requires arguments or -id, not both.\n');
      return 1;
    }
    const definitions = args.length > 0 ? await servicesFromFiles(args) : [{ ID: flags.id }];
    const client = apiClient(flags, io);
    try {
      for (const def of definitions) {
        const id = definitionField(def, 'id') || definitionField(def, 'name');
        if (!id) continue;
        try {
          await client.put(`/v1/agent/service/deregister/${encodeURIComponent(id)}`);
        } catch (err) {
          io.stderr(`Error deregistering service ${JSON.stringify(definitionField(def, 'name') || id)}: ${(err as Error).message}\n`);
          return 1;
        }
        io.stdout(`Deregistered service: ${id}\n`);
      }
    } finally {
      client.close();
    }
    return 0;
  },
});
