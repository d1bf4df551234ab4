import { stringifyExact } from '../../../lib/uint64-json.js';
import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { httpFlags } from '../../http-flags.js';
import { stripLeadingSlash } from './args.js';
import { listPairs } from './kv-api.js';

/** consul's impexp.Entry: lower-case keys, the value in base64 ("" when empty). */
export interface ExportEntry {
  key: string;
  flags: number | string;
  value: string;
}

export const kvExportCommand = defineCommand({
  name: 'kv export',
  synopsis: 'Exports a tree from the KV store as JSON',
  usage: '[KEY_OR_PREFIX]',
  help: `
    Retrieves key-value pairs for the given prefix from Weft's key-value store,
    and writes a JSON representation to stdout. This can be used with the command
    "weft kv import" to move entire trees between clusters, Weft or Consul.

        $ weft kv export vault
  `,
  flags: { ...httpFlags },
  async run({ flags, args, io }) {
    if (args.length > 1) {
      io.stderr(`Too many arguments (expected 1, got ${args.length})\n`);
      return 1;
    }
    const client = apiClient(flags, io);
    try {
      const { pairs } = await listPairs(client, stripLeadingSlash(args[0] ?? ''));
      const entries: ExportEntry[] = pairs.map((p) => ({ key: p.Key, flags: p.Flags, value: p.Value ?? '' }));
      io.stdout(`${stringifyExact(entries, ['flags'], '\t')}\n`);
      return 0;
    } catch (err) {
      io.stderr(`Error querying Weft agent: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
  },
});
