import type { AgentSelf } from '../../api/index.js';
import { apiClient } from '../client.js';
import { defineCommand } from '../command.js';
import { httpClientFlags } from '../http-flags.js';

export const infoCommand = defineCommand({
  name: 'info',
  synopsis: 'Provides debugging information for operators',
  help: 'Provides debugging information for operators: one section per subsystem, sorted.',
  flags: { ...httpClientFlags },
  async run({ flags, io }) {
    const client = apiClient(flags, io);
    let self: AgentSelf;
    try {
      self = (await client.get<AgentSelf>('/v1/agent/self')).body;
    } finally {
      client.close();
    }
    for (const section of Object.keys(self.Stats).sort()) {
      io.stdout(`${section}:\n`);
      const values = self.Stats[section];
      for (const key of Object.keys(values).sort()) io.stdout(`\t${key} = ${values[key]}\n`);
    }
    return 0;
  },
});
