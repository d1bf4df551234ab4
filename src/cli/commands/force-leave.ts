import { apiClient } from '../client.js';
import { defineCommand } from '../command.js';
import { flag } from '../flags.js';
import { httpClientFlags } from '../http-flags.js';

export const forceLeaveCommand = defineCommand({
  name: 'force-leave',
  synopsis: 'Forces a member of the cluster to enter the "left" state',
  usage: 'NODE',
  help: `
    Forces a failed member to the "left" state and removes its node from the catalog.
    -prune also removes it from the member list at once. A member that is alive is left
    as it is, as in Consul.
  `,
  flags: { ...httpClientFlags, prune: flag.bool('Remove the agent forcibly from the list of members.') },
  async run({ flags, args, io }) {
    if (args.length !== 1) {
      io.stderr('A single node name must be specified to force leave.\n');
      return 1;
    }
    const client = apiClient(flags, io);
    try {
      await client.put(`/v1/agent/force-leave/${encodeURIComponent(args[0])}`, { query: { prune: flags.prune || undefined } });
    } catch (err) {
      io.stderr(`Error force leaving: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    return 0;
  },
});
