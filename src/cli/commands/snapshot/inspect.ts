import { readFileSync } from 'node:fs';
import { decodeSnapshotArchive } from '../../../snapshot/index.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { columns } from '../../table.js';
import { oneFileArg } from './file-arg.js';

function bytes(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}KB`;
  return `${(n / 1024 / 1024).toFixed(1)}MB`;
}

export const snapshotInspectCommand = defineCommand({
  name: 'snapshot inspect',
  synopsis: 'Displays information about a Weft snapshot file',
  usage: 'FILE',
  help: `
    Displays information about a snapshot file on disk: its ID, size, index,
    the backend it was taken from, and how many rows (and bytes) each table has.
    The file is verified (checksum and row count) on the way.

        $ weft snapshot inspect backup.snap
  `,
  flags: {
    format: flag.string('Output format {pretty|json}.', 'pretty'),
  },
  async run({ flags, args, io }) {
    const file = oneFileArg(args, io);
    if (!file) return 1;
    if (flags.format !== 'pretty' && flags.format !== 'json') {
      io.stderr(`Error outputting enhanced snapshot data: Unknown format: ${flags.format}\n`);
      return 1;
    }
    let decoded;
    try {
      decoded = await decodeSnapshotArchive(readFileSync(file));
    } catch (err) {
      io.stderr(`Error reading snapshot: ${(err as Error).message}\n`);
      return 1;
    }
    const { meta } = decoded.data;
    const tables = Object.entries(decoded.stats)
      .map(([name, s]) => ({ Name: name, Count: s.count, Sum: s.bytes }))
      .sort((a, b) => b.Sum - a.Sum || a.Name.localeCompare(b.Name));
    const total = tables.reduce((n, t) => n + t.Sum, 0);
    if (flags.format === 'json') {
      io.stdout(`${JSON.stringify({ Meta: { ID: meta.ID, Size: decoded.size, Index: meta.Index, Version: meta.Version, Backend: meta.Backend, CreatedAt: meta.CreatedAt, WeftVersion: meta.WeftVersion }, Stats: tables, TotalSize: total }, null, 2)}\n`);
      return 0;
    }
    const head = columns([
      ['ID', meta.ID],
      ['Size', String(decoded.size)],
      ['Index', String(meta.Index)],
      ['Version', String(meta.Version)],
      ['Backend', meta.Backend],
      ['Created', meta.CreatedAt],
    ]);
    const body = columns([['Type', 'Count', 'Size'], ['----', '----', '----'], ...tables.map((t) => [t.Name, String(t.Count), bytes(t.Sum)]), ['----', '----', '----'], ['Total', '', bytes(total)]]);
    io.stdout(`${head}\n${body}`);
    return 0;
  },
});
