import { createHash } from 'node:crypto';
import type { Etcd3 } from 'etcd3';
import { decodeJson, decodeSnapshotArchive, type SnapshotData } from '../../snapshot/index.js';
import type { Op } from '../op.js';
import { deadlineIn } from './etcd-client.js';
import { prefixEnd, type EtcdKeys } from './etcd-keys.js';

/** The log entry that replaces the state with a snapshot whose chunks are in etcd. */
export const RESTORE_OP = '$restore';

/** Below etcd's default 1.5 MiB request limit, with room for the key and framing. */
export const CHUNK_BYTES = 1024 * 1024;
const LOG_PAGE = 500;
/** etcd's default --max-txn-ops is 128. */
const DELETES_PER_TXN = 100;
const SLOW_CALL_MS = 30_000;

/** Where a snapshot's chunks are and how to check them. */
export interface SnapshotRef {
  ID: string;
  Chunks: number;
  Size: number;
  SHA256: string;
}

/** The `snapshot` key: the latest snapshot of the tables and where in the log it stands. */
export interface SnapshotPointer extends SnapshotRef {
  /** The snapshot holds every log entry up to this etcd revision. */
  Rev: number;
  /** Index offset in effect at `Rev` (index = revision + offset). */
  Offset: number;
  /** The store's index in the snapshot. */
  Index: number;
  CreatedAt: string;
}

export interface RawEntry {
  rev: number;
  nonce: string;
  value: Buffer;
}

export async function writeChunks(client: Etcd3, keys: EtcdKeys, id: string, archive: Buffer): Promise<SnapshotRef> {
  const chunks = Math.max(1, Math.ceil(archive.length / CHUNK_BYTES));
  for (let i = 0; i < chunks; i++) {
    await client.kv.put({ key: Buffer.from(keys.chunk(id, i)), value: archive.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES) }, deadlineIn(SLOW_CALL_MS));
  }
  return { ID: id, Chunks: chunks, Size: archive.length, SHA256: createHash('sha256').update(archive).digest('hex') };
}

/** Reads one snapshot (at `revision`, when given, so chunks and pointer agree); null when its chunks are gone. */
export async function readSnapshot(client: Etcd3, keys: EtcdKeys, ref: SnapshotRef, revision?: number): Promise<SnapshotData | null> {
  const parts: Buffer[] = [];
  for (let i = 0; i < ref.Chunks; i++) {
    const r = await client.kv.range({ key: Buffer.from(keys.chunk(ref.ID, i)), ...(revision ? { revision } : {}) }, deadlineIn(SLOW_CALL_MS));
    const kv = r.kvs[0];
    if (!kv) return null;
    parts.push(kv.value);
  }
  const archive = Buffer.concat(parts);
  if (archive.length !== ref.Size || createHash('sha256').update(archive).digest('hex') !== ref.SHA256) {
    throw new Error(`snapshot ${ref.ID} in etcd does not match its checksum`);
  }
  return (await decodeSnapshotArchive(archive)).data;
}

export async function deleteChunks(client: Etcd3, keys: EtcdKeys, id: string): Promise<void> {
  const prefix = keys.chunkPrefix(id);
  await client.kv.deleteRange({ key: Buffer.from(prefix), range_end: prefixEnd(prefix) }, deadlineIn(SLOW_CALL_MS));
}

/** The snapshot pointer (linearizable), with the revision the read saw and the pointer's own mod revision. */
export async function readPointer(client: Etcd3, keys: EtcdKeys): Promise<{ pointer: SnapshotPointer | null; revision: number; modRevision: number }> {
  const r = await client.kv.range({ key: Buffer.from(keys.snapshotPointer) }, deadlineIn(SLOW_CALL_MS));
  const kv = r.kvs[0];
  return {
    pointer: kv ? (JSON.parse(kv.value.toString('utf8')) as SnapshotPointer) : null,
    revision: Number(r.header.revision),
    modRevision: kv ? Number(kv.mod_revision) : 0,
  };
}

/** Log entries with revisions in (after, upTo], in order, read as of `upTo`. */
export async function readLog(client: Etcd3, keys: EtcdKeys, after: number, upTo: number): Promise<RawEntry[]> {
  const out: RawEntry[] = [];
  const prefix = keys.logPrefix;
  let from = after + 1;
  for (;;) {
    const r = await client.kv.range(
      {
        key: Buffer.from(prefix),
        range_end: prefixEnd(prefix),
        revision: upTo,
        min_mod_revision: from,
        sort_target: 'Mod',
        sort_order: 'Ascend',
        limit: LOG_PAGE,
      },
      deadlineIn(SLOW_CALL_MS),
    );
    for (const kv of r.kvs) out.push({ rev: Number(kv.mod_revision), nonce: kv.key.toString('utf8').slice(prefix.length), value: kv.value });
    if (!r.more || r.kvs.length === 0) return out;
    from = out[out.length - 1].rev + 1;
  }
}

/** Deletes the log entries a snapshot at `upTo` holds; returns how many. */
export async function truncateLog(client: Etcd3, keys: EtcdKeys, upTo: number): Promise<number> {
  const prefix = keys.logPrefix;
  const r = await client.kv.range(
    { key: Buffer.from(prefix), range_end: prefixEnd(prefix), max_mod_revision: upTo, keys_only: true },
    deadlineIn(SLOW_CALL_MS),
  );
  for (let i = 0; i < r.kvs.length; i += DELETES_PER_TXN) {
    const success = r.kvs.slice(i, i + DELETES_PER_TXN).map((kv) => ({ request_delete_range: { key: kv.key } }));
    await client.kv.txn({ compare: [], success, failure: [] }, deadlineIn(SLOW_CALL_MS));
  }
  return r.kvs.length;
}

/** An entry that cannot be decoded still takes its place in the log; applying it fails like an unknown op. */
export function decodeOp(value: Buffer): Op {
  try {
    const op = decodeJson<Op>(value.toString('utf8'));
    if (op && typeof op.type === 'string') return op;
  } catch {
    // fall through
  }
  return { type: '$undecodable' };
}
