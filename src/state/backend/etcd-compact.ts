import type { Etcd3 } from 'etcd3';
import { encodeSnapshotArchive, type SnapshotData } from '../../snapshot/index.js';
import { deadlineIn } from './etcd-client.js';
import type { EtcdKeys } from './etcd-keys.js';
import { deleteChunks, readPointer, truncateLog, writeChunks, type SnapshotPointer } from './etcd-store-io.js';

export interface CompactResult {
  pointer: SnapshotPointer;
  /** Log entries deleted (the snapshot holds them). */
  truncated: number;
  /** Revision etcd's history was compacted to (the previous snapshot's), 0 when none. */
  compactedTo: number;
}

const CALL_MS = 30_000;

/**
 * Log compaction. The snapshot's chunks go in first, then the pointer moves to it in a
 * transaction that fails if another server moved it meanwhile (two leaders overlapping
 * for a moment cannot move it backwards), then the log entries it holds are deleted, and
 * etcd's own history is compacted up to the previous snapshot — one snapshot interval of
 * history stays, so a server a little behind resumes its watch instead of reloading.
 */
export async function compactEtcdLog(
  client: Etcd3,
  keys: EtcdKeys,
  taken: { data: SnapshotData; revision: number; offset: number },
  restoreRefs: Map<string, number>,
): Promise<CompactResult | null> {
  const current = await readPointer(client, keys);
  if (current.pointer && current.pointer.Rev >= taken.revision) return null;
  const ref = await writeChunks(client, keys, taken.data.meta.ID, await encodeSnapshotArchive(taken.data));
  const pointer: SnapshotPointer = {
    ...ref,
    Rev: taken.revision,
    Offset: taken.offset,
    Index: taken.data.meta.Index,
    CreatedAt: taken.data.meta.CreatedAt,
  };
  const key = Buffer.from(keys.snapshotPointer);
  const moved = await client.kv.txn(
    {
      compare: [{ key, target: 'Mod', result: 'Equal', mod_revision: current.modRevision }],
      success: [{ request_put: { key, value: Buffer.from(JSON.stringify(pointer)) } }],
      failure: [],
    },
    deadlineIn(CALL_MS),
  );
  if (!moved.succeeded) {
    await deleteChunks(client, keys, ref.ID);
    return null;
  }
  // Older chunk sets nobody can need any more: the previous snapshot's, and those of restores it covers.
  const obsolete = new Set<string>();
  if (current.pointer) obsolete.add(current.pointer.ID);
  for (const [id, rev] of restoreRefs) {
    if (rev <= taken.revision) {
      obsolete.add(id);
      restoreRefs.delete(id);
    }
  }
  obsolete.delete(ref.ID);
  for (const id of obsolete) await deleteChunks(client, keys, id);
  const truncated = await truncateLog(client, keys, taken.revision);
  let compactedTo = 0;
  if (current.pointer && current.pointer.Rev > 0) {
    try {
      await client.kv.compact({ revision: current.pointer.Rev }, deadlineIn(CALL_MS));
      compactedTo = current.pointer.Rev;
    } catch (err) {
      // Someone (etcd's auto-compaction, an operator) already compacted further: fine.
      if (!/compacted/.test(String((err as Error)?.message))) throw err;
    }
  }
  return { pointer, truncated, compactedTo };
}
