import { dispatch } from './command.js';
import { loadCommands } from './commands/index.js';

/** The entry point: the only place that touches process.exit and signals. */
const controller = new AbortController();
// A reader that went away (`weft members | head -1`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
let interrupts = 0;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    // A second interrupt means "stop now", as with consul.
    if (++interrupts > 1) process.exit(1);
    controller.abort(sig);
  });
}

// SIGHUP is caught only while a command listens for it (agent reload, template); otherwise it ends the process as usual.
const hangupListeners = new Set<() => void>();
const onHangupSignal = () => hangupListeners.forEach((l) => l());
function onHangup(listener: () => void): () => void {
  if (hangupListeners.size === 0) process.on('SIGHUP', onHangupSignal);
  hangupListeners.add(listener);
  return () => {
    hangupListeners.delete(listener);
    if (hangupListeners.size === 0) process.off('SIGHUP', onHangupSignal);
  };
}

const argv = process.argv.slice(2);
const code = await dispatch(await loadCommands(argv), argv, {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  stdin: process.stdin,
  env: process.env,
  signal: controller.signal,
  onHangup,
});
process.exitCode = code;
// Commands close what they open; should a library leave a handle behind, exit anyway once output has drained.
setTimeout(() => process.exit(code), 2000).unref();
