import { apiClient } from '../client.js';
import { defineCommand } from '../command.js';
import { httpClientFlags } from '../http-flags.js';

export const leaveCommand = defineCommand({
  name: 'leave',
  synopsis: 'Gracefully leaves the cluster and shuts down',
  help: 'Causes the agent to gracefully leave the cluster and shut down.',
  flags: { ...httpClientFlags },
  async run({ flags, args, io }) {
    if (args.length) {
      io.stderr('This command takes no arguments\n');
      return 1;
    }
    const client = apiClient(flags, io);
    try {
      await client.put('/v1/agent/leave');
    } finally {
      client.close();
    }
    io.stdout('Graceful leave complete\n');
    return 0;
  },
});
