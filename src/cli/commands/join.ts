import { apiClient } from '../client.js';
import { defineCommand } from '../command.js';
import { flag } from '../flags.js';
import { httpClientFlags } from '../http-flags.js';

export const joinCommand = defineCommand({
  name: 'join',
  synopsis: 'Tell Weft agent to join cluster',
  usage: 'ADDRESS...',
  help: `
    Tells a running client agent to join the cluster of the server at ADDRESS (its serf
    LAN address, port 8301 unless given). Several addresses may be given; the command
    succeeds when one join succeeds.
  `,
  flags: { ...httpClientFlags, wan: flag.bool('Joins a server to another server in the WAN pool (not supported by Weft).') },
  async run({ flags, args, io }) {
    if (args.length === 0) {
      io.stderr('At least one address to join must be specified.\n');
      return 1;
    }
    const client = apiClient(flags, io);
    let joined = 0;
    let lastError = '';
    try {
      for (const addr of args) {
        try {
          await client.put(`/v1/agent/join/${addr}`, { query: { wan: flags.wan || undefined } });
          joined++;
        } catch (err) {
          lastError = (err as Error).message;
        }
      }
    } finally {
      client.close();
    }
    if (joined === 0) {
      io.stderr(`Error joining address '${args.join(' ')}': ${lastError}\n`);
      return 1;
    }
    io.stdout(`Successfully joined cluster by contacting ${joined} nodes.\n`);
    return 0;
  },
});
