import { spawn, type ChildProcess } from 'node:child_process';
import type { CommandIO } from '../../command.js';

/** How long a child may take to exit after SIGTERM before SIGKILL (Consul's lockKillGracePeriod). */
export const KILL_GRACE_MS = 5_000;

export interface Child {
  /** Resolves with the exit code (null when a signal ended it), or rejects if it could not start. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after the grace period; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs the command a lock or watch guards, through `$SHELL -c` by default as consul does.
 * It gets its own process group so that stopping it stops everything it started: a shell
 * script's children must not outlive the lock.
 */
export function startChild(args: string[], opts: { shell: boolean; passStdin?: boolean; input?: string; env: NodeJS.ProcessEnv; io: CommandIO }): Child {
  const [file, argv] = opts.shell ? [opts.env.SHELL || '/bin/sh', ['-c', args.join(' ')]] : [args[0], args.slice(1)];
  const stdin = opts.input !== undefined || opts.passStdin ? 'pipe' : 'ignore';
  const proc: ChildProcess = spawn(file, argv, { env: opts.env, stdio: [stdin, 'pipe', 'pipe'], detached: true });
  proc.stdout!.on('data', (c: Buffer) => opts.io.stdout(c.toString('utf8')));
  proc.stderr!.on('data', (c: Buffer) => opts.io.stderr(c.toString('utf8')));
  // A child that never reads its stdin (or exits first) must not crash us with EPIPE.
  proc.stdin?.on('error', () => {});
  if (opts.input !== undefined) proc.stdin!.end(opts.input);
  else if (opts.passStdin) opts.io.stdin.pipe(proc.stdin!);
  const exited = new Promise<number | null>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (code) => resolve(code));
  });
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, sig);
    } catch {
      // Already gone.
    }
  };
  return {
    exited,
    async stop(graceMs = KILL_GRACE_MS) {
      if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited.catch(() => null);
      clearTimeout(timer);
    },
  };
}
