/** Running `weft template` as a long-lived process in end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { WEFT_BIN } from './harness.js';

export class TemplateProcess {
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

const started = new Set<TemplateProcess>();

export function startTemplate(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): TemplateProcess {
  const proc = spawn(process.execPath, [WEFT_BIN, 'template', ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const t = new TemplateProcess(proc);
  started.add(t);
  proc.on('exit', () => started.delete(t));
  return t;
}

export async function stopAllTemplates(): Promise<void> {
  await Promise.all([...started].map((t) => t.stop()));
}
