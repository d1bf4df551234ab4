import { spawn } from 'node:child_process';
import { formatDuration } from '../../lib/duration.js';
import { errnoText } from '../net-errors.js';
import { TailBuffer, capturedOutput } from '../output.js';
import type { CheckDefinition, ProbeResult } from '../types.js';
import { critical, deadline, passing, warning, type ProbeContext } from './context.js';

/**
 * Script check: runs `args` directly (no shell) with stdout and stderr captured together.
 * Exit 0 passing, 1 warning, anything else critical (Nagios plugin convention). The script runs
 * in its own process group so a timeout or a stop kills everything it started, and the probe
 * settles only once the process has exited, so two runs never overlap.
 */
export async function probeScript(def: CheckDefinition, ctx: ProbeContext): Promise<ProbeResult> {
  const [file, ...argv] = def.args!;
  const out = new TailBuffer(def.outputMaxSize);
  const dl = deadline(ctx, def.timeoutMs);
  try {
    return await new Promise<ProbeResult>((resolve) => {
      const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const killGroup = () => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        // A grandchild that left the group may still hold the pipes open; stop waiting on them.
        child.stdout.destroy();
        child.stderr.destroy();
      };
      const cancel = dl.onAbort(killGroup);
      child.stdout.on('data', (c: Buffer) => out.write(c));
      child.stderr.on('data', (c: Buffer) => out.write(c));
      child.on('error', (err: NodeJS.ErrnoException) => {
        cancel();
        resolve(critical(spawnErrorText(file, err)));
      });
      child.once('close', (code) => {
        cancel();
        const text = capturedOutput(out);
        if (dl.timedOut()) {
          resolve(critical(`Timed out (${formatDuration(def.timeoutMs)}) running check${text ? `\n\n${text}` : ''}`));
        } else if (code === 0) resolve(passing(text));
        else if (code === 1) resolve(warning(text));
        else resolve(critical(text));
      });
    });
  } finally {
    dl.done();
  }
}

/** Go's os/exec wording, which Consul reports as the output of a script that cannot start. */
function spawnErrorText(file: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT' && !file.includes('/')) return `exec: "${file}": executable file not found in $PATH`;
  return `fork/exec ${file}: ${err.code === 'ENOENT' ? 'no such file or directory' : errnoText(err)}`;
}
