/**
 * `file`: a local file's contents, re-read whenever its size or modification time
 * changes. A file that cannot be read is an error, as in consul-template.
 */
import { watchFile, unwatchFile, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Dependency, type DependencyContext, type FetchOptions, type FetchResult, nextLocalIndex } from './dependency.js';

/** How often a watched file is stat'ed (consul-template polls every 2 seconds). */
export const FILE_POLL_MS = 1_000;

export class FileQuery implements Dependency {
  readonly key: string;
  private readonly path: string;
  private last: { size: number; mtimeMs: number } | undefined;

  constructor(path: string) {
    if (!path) throw new Error('file: invalid format: ""');
    this.path = resolve(path);
    this.key = `file(${path})`;
  }

  async fetch(_ctx: DependencyContext, opts: FetchOptions): Promise<FetchResult> {
    const last = this.last;
    const st = last && opts.index !== 0 ? await this.changedFrom(last, opts.signal) : await stat(this.path);
    this.last = { size: st.size, mtimeMs: st.mtimeMs };
    const data = await readFile(this.path, 'utf8');
    return { value: data, index: nextLocalIndex(), lastContact: 0 };
  }

  /** Resolves with the file's stats once they differ from `last`; rejects if it disappears. */
  private changedFrom(last: { size: number; mtimeMs: number }, signal: AbortSignal): Promise<Stats> {
    const differs = (s: Stats) => s.size !== last.size || s.mtimeMs !== last.mtimeMs;
    return new Promise((resolvePromise, reject) => {
      let settled = false;
      const finish = (err: unknown, st?: Stats) => {
        if (settled) return;
        settled = true;
        unwatchFile(this.path, listener);
        signal.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolvePromise(st!);
      };
      const missing = () => Object.assign(new Error(`stat ${this.path}: no such file or directory`), { code: 'ENOENT' });
      const listener = (cur: Stats) => {
        if (cur.nlink === 0 && cur.mtimeMs === 0) finish(missing());
        else if (differs(cur)) finish(null, cur);
      };
      const onAbort = () => finish(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      watchFile(this.path, { interval: FILE_POLL_MS, persistent: true }, listener);
      // A change between the last read and the watch starting would never be reported: look once now.
      stat(this.path).then(
        (cur) => differs(cur) && finish(null, cur),
        (err: unknown) => finish(err),
      );
    });
  }
}
