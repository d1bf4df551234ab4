import type { Intention } from '../../../api/connect.js';
import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { httpFlags } from '../../http-flags.js';
import { columns } from '../../table.js';

export const intentionListCommand = defineCommand({
  name: 'intention list',
  synopsis: 'List intentions.',
  help: `
    List all intentions, in the order they are evaluated.
  `,
  flags: { ...httpFlags },
  async run({ flags, io }) {
    const client = apiClient(flags, io);
    let ixns: Intention[];
    try {
      ixns = (await client.get<Intention[]>('/v1/connect/intentions')).body;
    } catch (err) {
      io.stderr(`Failed to retrieve the intentions list: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    if (!ixns.length) {
      io.stderr('There are no intentions.\n');
      return 2;
    }
    const rows = [['ID', 'Source', 'Action', 'Destination', 'Precedence']];
    for (const i of ixns) rows.push([i.ID ?? '', i.SourceName, i.Action ?? '', i.DestinationName, String(i.Precedence)]);
    io.stdout(columns(rows));
    return 0;
  },
});
