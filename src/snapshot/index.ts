export {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  decodeSnapshotArchive,
  encodeSnapshotArchive,
  newSnapshotMeta,
  type DecodedSnapshot,
  type SnapshotData,
  type SnapshotMeta,
  type SnapshotRow,
  type TableStats,
} from './archive.js';
export { decodeJson, encodeJson } from './json-bytes.js';
