import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { decodeSnapshotArchive } from '../../../snapshot/index.js';
import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { httpFlags } from '../../http-flags.js';
import { oneFileArg } from './file-arg.js';

export const snapshotSaveCommand = defineCommand({
  name: 'snapshot save',
  synopsis: 'Saves a snapshot of the state of the Weft servers',
  usage: 'FILE',
  help: `
    Retrieves an atomic, point-in-time snapshot of the state of the Weft servers,
    which includes key/value entries, the service catalog, sessions, ACLs,
    intentions, config entries and the Connect CA. The file is checked before
    it is kept.

        $ weft snapshot save backup.snap

    With -stale, any server answers from its own tables, even without a leader
    or etcd quorum.
  `,
  flags: { ...httpFlags },
  async run({ flags, args, io }) {
    const file = oneFileArg(args, io);
    if (!file) return 1;
    const client = apiClient(flags, io);
    const part = `${file}.part`;
    try {
      const r = await client.get<Buffer>('/v1/snapshot', { raw: true });
      writeFileSync(part, r.body);
      const { data } = await decodeSnapshotArchive(r.body);
      renameSync(part, file);
      io.stdout(`Saved and verified snapshot to index ${data.meta.Index}\n`);
      return 0;
    } catch (err) {
      rmSync(part, { force: true });
      io.stderr(`Error saving snapshot: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
  },
});
