import { readFileSync } from 'node:fs';
import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';

export const caSetConfigCommand = defineCommand({
  name: 'connect ca set-config',
  synopsis: 'Modify the current Connect CA configuration',
  help: `
    Modifies the current Connect Certificate Authority (CA) configuration from a
    JSON file such as:

        {"Provider": "consul", "Config": {"LeafCertTTL": "24h", "PrivateKeyType": "rsa", "PrivateKeyBits": 4096}}

    A new key type or size, or a new PrivateKey or RootCert, rotates the root: the
    new root is cross-signed by the old one and both stay trusted until every
    leaf has been reissued. Other changes apply to the next leaves.
  `,
  flags: {
    ...httpFlags,
    'config-file': flag.string('The path to the config file to use.'),
    'force-without-cross-signing': flag.bool(
      'Indicates that the CA reconfiguration should go ahead without cross-signing the new root. This risks temporary connection failures during the rollout as new leafs will be rejected by proxies that have not yet observed the new root cert.',
    ),
  },
  async run({ flags, io }) {
    if (!flags['config-file']) {
      io.stderr('The -config-file flag is required\n');
      return 1;
    }
    let text: string;
    try {
      text = readFileSync(flags['config-file'], 'utf8');
    } catch (err) {
      io.stderr(`Error reading config file: ${(err as Error).message}\n`);
      return 1;
    }
    let config: Record<string, unknown>;
    try {
      config = JSON.parse(text) as Record<string, unknown>;
      if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new Error('expected a JSON object');
    } catch (err) {
      io.stderr(`Error parsing config file: ${(err as Error).message}\n`);
      return 1;
    }
    if (flags['force-without-cross-signing']) config.ForceWithoutCrossSigning = true;
    const client = apiClient(flags, io);
    try {
      await client.put('/v1/connect/ca/configuration', { body: config });
    } catch (err) {
      io.stderr(`Error setting CA configuration: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    io.stdout('Configuration updated!\n');
    return 0;
  },
});
