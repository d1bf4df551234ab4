import { apiClient } from '../client.js';
import { defineCommand } from '../command.js';
import { httpClientFlags } from '../http-flags.js';

export const reloadCommand = defineCommand({
  name: 'reload',
  synopsis: 'Triggers the agent to reload configuration files',
  help: `
    Causes the agent to reload its configuration files: services and checks added,
    changed or removed in them are registered, updated or deregistered. The same happens
    when the agent receives SIGHUP.
  `,
  flags: { ...httpClientFlags },
  async run({ flags, args, io }) {
    if (args.length) {
      io.stderr('This command takes no arguments\n');
      return 1;
    }
    const client = apiClient(flags, io);
    try {
      await client.put('/v1/agent/reload');
    } catch (err) {
      io.stderr(`Error reloading: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    io.stdout('Configuration reload triggered\n');
    return 0;
  },
});
