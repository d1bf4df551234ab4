import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import { WeftError } from '../lib/errors.js';
import { VERSION } from '../version.js';
import { decodeJson, encodeJson } from './json-bytes.js';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

export const SNAPSHOT_FORMAT = 'weft-snapshot';
export const SNAPSHOT_VERSION = 1;

/** What a snapshot says about itself: the first line of the archive. */
export interface SnapshotMeta {
  Format: typeof SNAPSHOT_FORMAT;
  Version: number;
  ID: string;
  /** The store's modify index when the snapshot was taken. */
  Index: number;
  CreatedAt: string;
  /** Backend of the store it was taken from (`inmem`, `embedded`, `etcd`). */
  Backend: string;
  WeftVersion: string;
  /** Every table's highest modify index at `Index`. */
  TableIndexes: Record<string, number>;
}

export interface SnapshotRow {
  table: string;
  key: string;
  row: unknown;
}

/** Every row of every table at one index: what `/v1/snapshot` moves between stores. */
export interface SnapshotData {
  meta: SnapshotMeta;
  rows: SnapshotRow[];
}

export interface TableStats {
  count: number;
  /** Bytes of the table's lines in the uncompressed archive. */
  bytes: number;
}

export interface DecodedSnapshot {
  data: SnapshotData;
  /** Per table, for `weft snapshot inspect`. */
  stats: Record<string, TableStats>;
  /** Size of the archive as given (compressed). */
  size: number;
}

interface Trailer {
  End: true;
  Rows: number;
  SHA256: string;
}

export function newSnapshotMeta(index: number, backend: string, tableIndexes: Record<string, number>, now = new Date()): SnapshotMeta {
  return {
    Format: SNAPSHOT_FORMAT,
    Version: SNAPSHOT_VERSION,
    ID: `${index}-${now.getTime()}`,
    Index: index,
    CreatedAt: now.toISOString(),
    Backend: backend,
    WeftVersion: VERSION,
    TableIndexes: tableIndexes,
  };
}

/**
 * The archive: gzip of JSON lines. Line 1 is the meta, then one line per row
 * (`{"T":table,"K":key,"R":row}`, byte arrays as base64), then a trailer with the row
 * count and the SHA-256 of everything before it, so a truncated or altered file is refused.
 */
export async function encodeSnapshotArchive(data: SnapshotData): Promise<Buffer> {
  const lines: string[] = [JSON.stringify(data.meta)];
  for (const r of data.rows) lines.push(encodeJson({ T: r.table, K: r.key, R: r.row }));
  const body = lines.join('\n') + '\n';
  const trailer: Trailer = { End: true, Rows: data.rows.length, SHA256: createHash('sha256').update(body).digest('hex') };
  return gzip(Buffer.from(body + JSON.stringify(trailer) + '\n'));
}

/** Reads and verifies an archive; throws BAD_REQUEST with the reason when it is not a valid Weft snapshot. */
export async function decodeSnapshotArchive(archive: Uint8Array): Promise<DecodedSnapshot> {
  let text: string;
  try {
    text = (await gunzip(archive)).toString('utf8');
  } catch {
    throw invalid('not a gzip archive (Weft snapshots are gzipped JSON lines; a Consul raft snapshot cannot be restored into Weft)');
  }
  const end = text.lastIndexOf('\n', text.length - 2);
  if (end < 0) throw invalid('archive is truncated');
  const body = text.slice(0, end + 1);
  const trailer = parseLine<Partial<Trailer>>(text.slice(end + 1), 'trailer');
  if (trailer.End !== true || typeof trailer.SHA256 !== 'string') throw invalid('archive is truncated (no trailer)');
  if (createHash('sha256').update(body).digest('hex') !== trailer.SHA256) throw invalid('checksum mismatch: the archive is damaged');
  const lines = body.split('\n');
  lines.pop();
  const meta = parseLine<Partial<SnapshotMeta>>(lines[0] ?? '', 'meta');
  if (meta.Format !== SNAPSHOT_FORMAT) throw invalid('not a Weft snapshot (a Consul raft snapshot cannot be restored into Weft)');
  if (meta.Version !== SNAPSHOT_VERSION) throw invalid(`snapshot format version ${meta.Version} is not supported (this Weft reads version ${SNAPSHOT_VERSION})`);
  if (typeof meta.Index !== 'number' || typeof meta.TableIndexes !== 'object' || meta.TableIndexes === null) throw invalid('meta lacks Index or TableIndexes');
  const rows: SnapshotRow[] = [];
  const stats: Record<string, TableStats> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    let parsed: { T?: unknown; K?: unknown; R?: unknown };
    try {
      parsed = decodeJson(line);
    } catch {
      throw invalid(`line ${i + 1} is not JSON`);
    }
    if (typeof parsed.T !== 'string' || typeof parsed.K !== 'string' || parsed.R === undefined) throw invalid(`line ${i + 1} is not a row`);
    rows.push({ table: parsed.T, key: parsed.K, row: parsed.R });
    const s = (stats[parsed.T] ??= { count: 0, bytes: 0 });
    s.count++;
    s.bytes += Buffer.byteLength(line) + 1;
  }
  if (rows.length !== trailer.Rows) throw invalid(`trailer counts ${trailer.Rows} rows, archive has ${rows.length}`);
  return { data: { meta: meta as SnapshotMeta, rows }, stats, size: archive.byteLength };
}

function parseLine<T>(line: string, what: string): T {
  try {
    return JSON.parse(line) as T;
  } catch {
    throw invalid(`${what} is not JSON`);
  }
}

function invalid(reason: string): WeftError {
  return new WeftError('BAD_REQUEST', `Invalid snapshot: ${reason}`);
}
