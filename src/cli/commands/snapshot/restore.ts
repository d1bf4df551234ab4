import { readFileSync } from 'node:fs';
import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { httpFlags } from '../../http-flags.js';
import { oneFileArg } from './file-arg.js';

export const snapshotRestoreCommand = defineCommand({
  name: 'snapshot restore',
  synopsis: 'Restores snapshot of Weft server state',
  usage: 'FILE',
  help: `
    Restores an atomic, point-in-time snapshot of the state of the Weft servers:
    every table is replaced by the snapshot's, on every server sharing the
    store. The snapshot may come from another store backend (embedded or etcd).
    Indexes continue above both the cluster's and the snapshot's, so blocking
    queries wake and see the new state.

        $ weft snapshot restore backup.snap
  `,
  flags: { ...httpFlags },
  async run({ flags, args, io }) {
    const file = oneFileArg(args, io);
    if (!file) return 1;
    let archive: Buffer;
    try {
      archive = readFileSync(file);
    } catch (err) {
      io.stderr(`Error opening snapshot file: ${(err as Error).message}\n`);
      return 1;
    }
    const client = apiClient(flags, io);
    try {
      await client.put('/v1/snapshot', { rawBody: archive });
      io.stdout('Restored snapshot\n');
      return 0;
    } catch (err) {
      io.stderr(`Error restoring snapshot: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
  },
});
