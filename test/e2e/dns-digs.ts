import { execFile } from 'node:child_process';

/** One `dig` answer, parsed from its `+comments` output. */
export interface DigResult {
  status: string;
  flags: string[];
  answer: string[][];
  authority: string[][];
  additional: string[][];
  raw: string;
}

/** Runs Debian's `dig` against a local port (one try, short timeout) and parses what it printed. */
export function dig(port: number, args: string[]): Promise<DigResult> {
  const argv = ['@127.0.0.1', '-p', String(port), '+time=3', '+tries=1', '+noall', '+comments', '+answer', '+authority', '+additional', ...args];
  return new Promise((resolve, reject) => {
    execFile('dig', argv, { timeout: 15_000 }, (err, stdout) => {
      if (err && !stdout) return reject(err);
      resolve(parseDig(stdout));
    });
  });
}

export function parseDig(raw: string): DigResult {
  const out: DigResult = { status: '', flags: [], answer: [], authority: [], additional: [], raw };
  let section: 'answer' | 'authority' | 'additional' | null = null;
  for (const line of raw.split('\n')) {
    const status = /status: ([A-Z]+)/.exec(line);
    if (status) out.status = status[1];
    const flags = /^;; flags: ([a-z ]+);/.exec(line);
    if (flags) out.flags = flags[1].trim().split(/\s+/);
    if (line.startsWith(';; ANSWER SECTION')) section = 'answer';
    else if (line.startsWith(';; AUTHORITY SECTION')) section = 'authority';
    else if (line.startsWith(';; ADDITIONAL SECTION')) section = 'additional';
    else if (line.startsWith(';') || line.trim() === '') {
      if (line.trim() === '') section = null;
    } else if (section) {
      out[section].push(line.trim().split(/\s+/));
    }
  }
  return out;
}

/** The data column(s) of the answer records of one type. */
export const dataOf = (rows: string[][], type: string): string[] => rows.filter((r) => r[3] === type).map((r) => r.slice(4).join(' '));
