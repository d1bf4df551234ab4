/**
 * A template's `command`, run after a render changed the file. With a timeout (default
 * 30s) the runner waits for it and reports a failure; a timeout of 0 starts it and moves
 * on. A failing command is reported, never fatal: the watch goes on.
 */
import { formatDuration } from '../../lib/duration.js';
import { commandLine, type Output, signalCommand, spawnCommand } from './process.js';

export async function runCommand(command: string[], timeoutMs: number, env: NodeJS.ProcessEnv, out: Output): Promise<void> {
  const child = spawnCommand(command, env, out);
  if (timeoutMs <= 0) {
    child.exited.catch(() => undefined);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const result = await Promise.race([child.exited, timedOut]);
    if (result === 'timeout') {
      signalCommand(child, 'SIGKILL');
      throw new Error(`command did not exit within time limit ("${formatDuration(timeoutMs)}"): ${commandLine(command)}`);
    }
    if (result !== 0) throw new Error(`command exited with a non-zero exit status ${result}: ${commandLine(command)}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`failed to start command ${commandLine(command)}: executable file not found`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
