/** A long-lived `weft` subcommand in end-to-end tests (`weft connect proxy`, `weft template`), its output kept for assertions. */
import { spawn, type ChildProcess } from 'node:child_process';
import { WEFT_BIN } from './harness.js';

export class WeftProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(readonly proc: ChildProcess) {
    proc.stdout!.on('data', (c) => (this.stdout += c));
    proc.stderr!.on('data', (c) => (this.stderr += c));
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** SIGTERM, as a service manager stops it; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.running) this.proc.kill('SIGTERM');
    return this.exited;
  }
}

/** Starts `weft ARGS` with stdout and stderr captured; the caller tracks it so the test can stop it. */
export function spawnWeft(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): WeftProcess {
  const proc = spawn(process.execPath, [WEFT_BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new WeftProcess(proc);
}
