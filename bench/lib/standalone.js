// Running one benchmark file by itself (`node bench/dns.js --reps 1`) rather than through
// bench/run.js: the command line becomes its options, its Markdown goes to stdout, and a
// failure kills every child it started before exiting 1.
import { pathToFileURL } from 'node:url';
import { killAll } from './processes.js';

/**
 * `--name value` and `--name=value` become `options[name]`; a name listed in `switches` takes
 * no value and becomes `true`.
 */
export function parseOptions(argv, switches = []) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i].replace(/^--/, '');
    const eq = a.indexOf('=');
    if (eq > 0) options[a.slice(0, eq)] = a.slice(eq + 1);
    else if (switches.includes(a)) options[a] = true;
    else options[a] = argv[++i];
  }
  return options;
}

/** Calls `run(options)` when the module at `moduleUrl` is the script node was started with. */
export function runIfMain(moduleUrl, run, { switches = [] } = {}) {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  // Stopped from outside (Ctrl-C, a timeout): no daemon the benchmark started may outlive it.
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (killAll(), process.exit(130)));
  run(parseOptions(process.argv.slice(2), switches)).then(
    (result) => {
      console.log(`\n${result.markdown}`);
      process.exit(0);
    },
    (err) => {
      console.error(err?.stack ?? err);
      killAll();
      process.exit(1);
    },
  );
}
