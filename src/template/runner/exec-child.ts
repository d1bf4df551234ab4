/**
 * The `exec` child: a process supervised for the runner's whole life (consul-template's
 * exec mode). Started after the first complete render; on every later render it gets
 * `reload_signal`, or is restarted when there is none. Stopping sends `kill_signal`,
 * then SIGKILL after `kill_timeout`. If it exits on its own, the runner ends with its code.
 */
import type { Logger } from 'pino';
import { commandLine, type Output, signalCommand, spawnCommand, type Spawned } from './process.js';

export interface ExecSpec {
  command: string[];
  /** null: restart the child instead of signalling it. */
  reloadSignal: NodeJS.Signals | null;
  killSignal: NodeJS.Signals;
  killTimeoutMs: number;
  /** Reloads and stops wait a random time below this, so a fleet does not restart at once. */
  splayMs: number;
}

export class ExecChild {
  private current: Spawned | undefined;
  private stopping = false;

  constructor(
    private readonly spec: ExecSpec,
    private readonly env: NodeJS.ProcessEnv,
    private readonly out: Output,
    private readonly log: Logger,
    /** Called when the child exits without being asked to. */
    private readonly onExit: (code: number) => void,
  ) {}

  async start(): Promise<void> {
    const child = spawnCommand(this.spec.command, this.env, this.out, { plainDirect: true });
    this.current = child;
    child.exited.then(
      (code) => {
        if (this.current === child && !this.stopping) {
          this.current = undefined;
          this.onExit(code);
        }
      },
      () => undefined,
    );
    // A command that cannot be started fails here, not later as an "exit".
    await new Promise<void>((resolve, reject) => {
      child.proc.once('spawn', resolve);
      child.proc.once('error', (err) => reject(new Error(`failed to start ${commandLine(this.spec.command)}: ${err.message}`)));
    });
    this.log.info(`(child) spawning: ${commandLine(this.spec.command)}`);
  }

  get pid(): number | undefined {
    return this.current?.proc.pid;
  }

  async reload(): Promise<void> {
    await this.splay();
    if (this.spec.reloadSignal) {
      this.log.info(`(child) reloading process with ${this.spec.reloadSignal}`);
      if (this.current) signalCommand(this.current, this.spec.reloadSignal);
      return;
    }
    this.log.info('(child) restarting process');
    await this.kill();
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.kill();
  }

  private async kill(): Promise<void> {
    const child = this.current;
    this.current = undefined;
    if (!child) return;
    const gone = child.exited.catch(() => 0);
    if (!signalCommand(child, this.spec.killSignal)) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.spec.killTimeoutMs)));
    if ((await Promise.race([gone, timeout])) === 'timeout') {
      signalCommand(child, 'SIGKILL');
      await gone;
    }
    clearTimeout(timer);
  }

  private splay(): Promise<void> {
    if (this.spec.splayMs <= 0) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, Math.random() * this.spec.splayMs));
  }
}
