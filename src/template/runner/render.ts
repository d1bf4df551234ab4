/**
 * Writing a rendered template. The destination is replaced atomically (a temporary file
 * in the same directory, synced, then renamed over it), so readers such as NGINX never
 * see half a file. Nothing is written when the contents are already on disk; that is
 * what decides whether the template's command runs.
 */
import { randomBytes } from 'node:crypto';
import { chmod, chown, link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const DEFAULT_PERMS = 0o644;

export interface RenderInput {
  path: string;
  contents: string;
  /** Mode of the written file; undefined keeps the existing file's mode (0644 for a new file). */
  perms?: number;
  /** Keep the previous contents as `<path>.bak`. */
  backup: boolean;
  /** Create missing parent directories (consul-template's create_dest_dirs, default true). */
  createDestDirs: boolean;
  /** Print `> path` and the contents instead of writing. */
  dry?: (text: string) => void;
}

export interface RenderResult {
  /** The contents differ from what was on disk and were written (or printed, when dry). */
  didRender: boolean;
  /** The template is in its rendered state (written now, or already identical on disk). */
  wouldRender: boolean;
}

async function readExisting(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`failed reading file: ${(err as Error).message}`);
  }
}

export async function renderFile(input: RenderInput): Promise<RenderResult> {
  const existing = input.path ? await readExisting(input.path) : null;
  if (existing !== null && existing === input.contents) return { didRender: false, wouldRender: true };
  if (input.dry) {
    input.dry(`> ${input.path}\n${input.contents}`);
    return { didRender: true, wouldRender: true };
  }
  await atomicWrite(input);
  return { didRender: true, wouldRender: true };
}

export async function atomicWrite(input: RenderInput): Promise<void> {
  const { path } = input;
  if (!path) throw new Error('missing destination');
  const parent = dirname(path);
  try {
    await stat(parent);
  } catch {
    if (!input.createDestDirs) throw new Error('parent directory is missing');
    await mkdir(parent, { recursive: true, mode: 0o755 });
  }
  const tmp = join(parent, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(input.contents, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    let mode = DEFAULT_PERMS;
    const current = await stat(path).catch(() => null);
    if (current) {
      mode = current.mode & 0o7777;
      // Keep the owner of a file we replace (matters when running as root over a service's config).
      await chown(tmp, current.uid, current.gid).catch(() => undefined);
    }
    await chmod(tmp, input.perms ?? mode);
    if (input.backup && current) await backup(path);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** `path.bak` becomes a hard link to the current file; the previous backup survives until that succeeds. */
async function backup(path: string): Promise<void> {
  const bak = `${path}.bak`;
  const old = `${path}.old.bak`;
  await rename(bak, old).catch(() => undefined);
  try {
    await link(path, bak);
    await rm(old, { force: true });
  } catch {
    await rename(old, bak).catch(() => undefined);
  }
}
