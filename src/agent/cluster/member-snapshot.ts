import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Member } from '../../http/index.js';

/**
 * The server's member list in the data dir (serf keeps `serf/local.snapshot` for the same
 * reason): after a restart the server still knows who was in the cluster, so a client
 * that died while it was down turns failed instead of lingering as alive.
 */
export class MemberSnapshot {
  private readonly file: string;
  private savedVersion = -1;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'serf', 'members.json');
    mkdirSync(dirname(this.file), { recursive: true });
  }

  load(): Member[] {
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as { Members?: Member[] };
      return Array.isArray(data.Members) ? data.Members.filter((m) => m && typeof m.Name === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Writes the list when its version moved since the last write. */
  save(version: number, members: Member[]): void {
    if (version === this.savedVersion) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ Members: members }));
    renameSync(tmp, this.file);
    this.savedVersion = version;
  }
}
