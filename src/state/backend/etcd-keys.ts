/**
 * Where Weft keeps things in etcd, all under one prefix (`weft/` unless told otherwise):
 *
 * | key | value |
 * | --- | --- |
 * | `log/<nonce>` | one op (JSON); its mod revision is its place in the log |
 * | `head` | empty; written in every log transaction, so its mod revision is the newest entry's |
 * | `snapshot` | pointer to the latest snapshot: revision, index offset, chunk count, checksum |
 * | `snapshots/<id>/<seq>` | the snapshot archive, in chunks below etcd's request limit |
 * | `leader` | the leading server (attached to its lease) |
 * | `servers/<node>` | each live server (attached to its lease) |
 */
export class EtcdKeys {
  constructor(readonly prefix = 'weft/') {}

  get logPrefix(): string {
    return `${this.prefix}log/`;
  }

  log(nonce: string): string {
    return `${this.logPrefix}${nonce}`;
  }

  get head(): string {
    return `${this.prefix}head`;
  }

  get snapshotPointer(): string {
    return `${this.prefix}snapshot`;
  }

  get snapshotsPrefix(): string {
    return `${this.prefix}snapshots/`;
  }

  chunkPrefix(id: string): string {
    return `${this.snapshotsPrefix}${id}/`;
  }

  chunk(id: string, seq: number): string {
    return `${this.chunkPrefix(id)}${String(seq).padStart(6, '0')}`;
  }

  get leader(): string {
    return `${this.prefix}leader`;
  }

  get serversPrefix(): string {
    return `${this.prefix}servers/`;
  }

  server(node: string): string {
    return `${this.serversPrefix}${node}`;
  }
}

/** The end of etcd's range for a prefix: the prefix with its last byte incremented. */
export function prefixEnd(prefix: string): Buffer {
  const b = Buffer.from(prefix);
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i] < 0xff) {
      const end = Buffer.from(b.subarray(0, i + 1));
      end[i]++;
      return end;
    }
  }
  return Buffer.from([0]);
}
