import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { WeftError } from '../../../lib/errors.js';

/** Writes a certificate (0644) or a key (0600) that must not exist yet; says so as Consul does. */
export function saveNew(file: string, data: string, mode: number, say: (line: string) => void): void {
  writeFileSync(file, data, { mode, flag: 'wx' });
  say(`==> Saved ${file}\n`);
}

export function refuseExisting(...files: string[]): void {
  for (const f of files) if (existsSync(f)) throw new WeftError('BAD_REQUEST', `${f} already exists.`);
}

export function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new WeftError('BAD_REQUEST', `Error reading ${what}: open ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
  }
}
