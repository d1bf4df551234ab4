/**
 * Starting the commands a template config names, as consul-template does: a list runs
 * directly; a string with spaces runs through `sh -c` in its own process group, so
 * signals reach what the shell starts. The supervised exec child is the exception: a
 * string that is a plain command line (words without quotes or shell operators) runs
 * directly, so its reload signal reaches the program itself instead of killing the
 * shell in front of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Output {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface Spawned {
  proc: ChildProcess;
  /** Signals go to the whole process group when the command runs through a shell. */
  group: boolean;
  /** The exit code, or 128+n for a signal; rejects when the command could not start. */
  exited: Promise<number>;
}

/** Words of letters, digits and path punctuation: nothing a shell would interpret. */
const PLAIN = /^[\w@%+=:,./-]+(?:\s+[\w@%+=:,./-]+)*$/;

export function commandLine(command: string[]): string {
  return command.join(' ');
}

export function spawnCommand(command: string[], env: NodeJS.ProcessEnv, out: Output, opts: { plainDirect?: boolean } = {}): Spawned {
  if (command.length === 0 || command[0].trim() === '') throw new Error('missing command');
  const words = command.length === 1 ? command[0].trim().split(/\s+/) : command;
  const shell = command.length === 1 && words.length > 1 && !(opts.plainDirect && PLAIN.test(command[0].trim()));
  const [file, args] = shell ? ['sh', ['-c', command[0]]] : [words[0], words.slice(1)];
  const proc = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: shell });
  proc.stdout!.on('data', (c: Buffer) => out.stdout(c.toString('utf8')));
  proc.stderr!.on('data', (c: Buffer) => out.stderr(c.toString('utf8')));
  const exited = new Promise<number>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (code, signal) => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0)));
  });
  return { proc, group: shell, exited };
}

function signalNumber(sig: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15 } as Record<string, number>)[sig] ?? 0;
}

/** Sends `sig` to the command (its group when it runs through a shell); false if it is gone. */
export function signalCommand(s: Spawned, sig: NodeJS.Signals): boolean {
  if (s.proc.pid === undefined) return false;
  // The shell may be gone while what it started lives on in the group.
  if (!s.group && (s.proc.exitCode !== null || s.proc.signalCode !== null)) return false;
  try {
    process.kill(s.group ? -s.proc.pid : s.proc.pid, sig);
    return true;
  } catch {
    return false;
  }
}
