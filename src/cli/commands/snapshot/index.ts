import type { Command } from '../../command.js';
import { defineGroup } from '../../command.js';
import { snapshotInspectCommand } from './inspect.js';
import { snapshotRestoreCommand } from './restore.js';
import { snapshotSaveCommand } from './save.js';

const snapshotGroup = defineGroup({
  name: 'snapshot',
  synopsis: 'Saves, restores and inspects snapshots of Weft server state',
  help: `
    Saves, restores and inspects snapshots of the servers' state: every table
    (catalog, KV, sessions, ACLs, intentions, config entries, CA). A snapshot
    taken from one store backend restores into any other, so a single embedded
    server moves onto an etcd-backed cluster and back.

    Weft's snapshots are its own format (gzipped JSON lines, see docs/ha.md), not
    Consul's raft snapshots: neither restores into the other.

        $ weft snapshot save backup.snap
        $ weft snapshot inspect backup.snap
        $ weft snapshot restore backup.snap
  `,
});

export const snapshotCommands: Command[] = [snapshotGroup, snapshotInspectCommand, snapshotRestoreCommand, snapshotSaveCommand];
