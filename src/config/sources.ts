/**
 * Which files to read, in which order, with which parser: `-config-file` paths in
 * order, then every `*.json` / `*.hcl` file of each `-config-dir` (alphabetical).
 * I/O problems are described as Go's `open` errors, never thrown.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { ConfigProblem } from './runtime.js';

export type Format = 'json' | 'hcl';

export interface Source {
  name: string;
  format: Format;
}

function formatOf(path: string): Format | null {
  const ext = extname(path);
  return ext === '.json' ? 'json' : ext === '.hcl' ? 'hcl' : null;
}

/** `open x.json: no such file or directory`, as Consul (Go) words it. */
export function describeIoError(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOTDIR'
          ? 'not a directory'
          : code === 'EISDIR'
            ? 'is a directory'
            : ((err as Error).message ?? String(err));
  return `open ${path}: ${reason}`;
}

export interface SourceList {
  sources: Source[];
  errors: ConfigProblem[];
  warnings: ConfigProblem[];
}

export async function listSources(opts: { files?: string[]; dirs?: string[]; format?: Format }): Promise<SourceList> {
  const out: SourceList = { sources: [], errors: [], warnings: [] };
  for (const file of opts.files ?? []) {
    const info = await stat(file).catch((err: unknown) => err as Error);
    if (info instanceof Error) {
      out.errors.push({ where: '-config-file', message: describeIoError(file, info) });
    } else if (info.isDirectory()) {
      // Consul loads a directory given to -config-file like a -config-dir.
      await addDir(file, '-config-file', out);
    } else {
      const format = formatOf(file) ?? opts.format ?? null;
      if (format === null) {
        out.warnings.push({
          where: '-config-file',
          message: `skipping ${file}: the extension must be .json or .hcl, or -config-format must be set`,
        });
      } else {
        out.sources.push({ name: file, format });
      }
    }
  }
  for (const dir of opts.dirs ?? []) await addDir(dir, '-config-dir', out);
  return out;
}

async function addDir(dir: string, flag: string, out: SourceList): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    out.errors.push({ where: flag, message: describeIoError(dir, err) });
    return;
  }
  // Byte order, like Go's sort.Strings.
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const format = formatOf(name);
    if (format === null) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info?.isFile()) out.sources.push({ name: path, format });
  }
}

export async function readSource(source: Source): Promise<{ text: string } | { error: ConfigProblem }> {
  try {
    const text = await readFile(source.name, 'utf8');
    return { text: text.startsWith('\uFEFF') ? text.slice(1) : text }; // editors' byte-order marks
  } catch (err) {
    return { error: { where: source.name, message: describeIoError(source.name, err) } };
  }
}
