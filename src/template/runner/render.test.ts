import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderFile } from './render.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;
const base = { backup: false, createDestDirs: true };

describe('rendering a destination file', () => {
  it('creates the file 0644 by default, in new directories', async () => {
    const path = join(dir, 'new/sub/a.conf');
    expect(await renderFile({ ...base, path, contents: 'one\n' })).toEqual({ didRender: true, wouldRender: true });
    expect(readFileSync(path, 'utf8')).toBe('one\n');
    expect(mode(path)).toBe(0o644);
  });

  it('writes nothing when the contents are already on disk', async () => {
    const path = join(dir, 'same.conf');
    writeFileSync(path, 'same');
    const before = statSync(path);
    expect(await renderFile({ ...base, path, contents: 'same' })).toEqual({ didRender: false, wouldRender: true });
    expect(statSync(path).ino).toBe(before.ino);
  });

  it('replaces the file by renaming a new one over it (new inode, no temporary left behind)', async () => {
    const path = join(dir, 'swap.conf');
    writeFileSync(path, 'old');
    const before = statSync(path).ino;
    await renderFile({ ...base, path, contents: 'new' });
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).ino).not.toBe(before);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('applies configured perms, or keeps the existing mode', async () => {
    const path = join(dir, 'perms.conf');
    await renderFile({ ...base, path, contents: 'a', perms: 0o600 });
    expect(mode(path)).toBe(0o600);
    chmodSync(path, 0o640);
    await renderFile({ ...base, path, contents: 'b' });
    expect(mode(path)).toBe(0o640);
  });

  it('keeps the previous contents in .bak when asked', async () => {
    const path = join(dir, 'backup.conf');
    await renderFile({ ...base, backup: true, path, contents: 'v1' });
    await renderFile({ ...base, backup: true, path, contents: 'v2' });
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('v1');
    await renderFile({ ...base, backup: true, path, contents: 'v3' });
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('v2');
    expect(readFileSync(path, 'utf8')).toBe('v3');
  });

  it('refuses a missing parent when create_dest_dirs is off', async () => {
    await expect(renderFile({ ...base, createDestDirs: false, path: join(dir, 'nodir/x'), contents: 'x' })).rejects.toThrow('parent directory is missing');
  });

  it('prints instead of writing in dry mode', async () => {
    let printed = '';
    const path = join(dir, 'dry.conf');
    expect(await renderFile({ ...base, path, contents: 'hello\n', dry: (t) => (printed += t) })).toEqual({ didRender: true, wouldRender: true });
    expect(printed).toBe(`> ${path}\nhello\n`);
    expect(() => statSync(path)).toThrow();
  });
});
