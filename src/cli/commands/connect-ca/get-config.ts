import type { CAConfig } from '../../../api/connect.js';
import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { httpFlags } from '../../http-flags.js';

export const caGetConfigCommand = defineCommand({
  name: 'connect ca get-config',
  synopsis: 'Display the current Connect Certificate Authority (CA) configuration',
  help: `
    Displays the current Connect Certificate Authority (CA) configuration.
    A private key is never shown.
  `,
  flags: { ...httpFlags },
  async run({ flags, io }) {
    const client = apiClient(flags, io);
    let config: CAConfig;
    try {
      config = (await client.get<CAConfig>('/v1/connect/ca/configuration')).body;
    } catch (err) {
      io.stderr(`Error querying CA configuration: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    io.stdout(`${JSON.stringify(config, null, '\t')}\n`);
    return 0;
  },
});
