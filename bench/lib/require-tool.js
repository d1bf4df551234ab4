// The Debian programs a benchmark drives (wrk, nginx, haproxy, dnsperf, ...): checked before
// anything starts, so a missing one fails at once with the package that provides it.
import { execFileSync } from 'node:child_process';

/** Throws unless `bin` is on PATH, naming the Debian package `pkg` to install. */
export function requireTool(bin, pkg) {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${bin} is missing: apt-get install -y ${pkg}`);
  }
}
