// Runs every benchmark, or the ones named: `node bench/run.js [fanout] [apply] [--option value ...]`.
// Options are handed to each benchmark (fanout: --n 1000,10000 --scenario key,prefix --reps 3
// --generators 2 --pin 1 --weft-node-flags=--cpu-prof,--cpu-prof-dir=/tmp/prof --floor-node-flags=...;
// apply: --seq-count 2000 --seconds 5 --concurrency 32,256 --data-base DIR; both: --quiet-wait
// SECONDS, how long to wait for other processes to leave the CPUs before each measurement, and
// --retries N, how often a measurement disturbed by other processes is repeated).
// `--json FILE` also writes the results as JSON.
// `--rev COMMIT` measures that commit, built into a temporary directory, instead of this
// working tree's dist/ (useful while others edit and rebuild src/). Every child process is
// stopped on success, on error and on interrupt.
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { ROOT, killAll } from './lib/processes.js';
import { buildRevision, describeTree } from './lib/checkout.js';
import { useWeftRoot } from './lib/targets.js';

const BENCHMARKS = {
  fanout: () => import('./fanout.js'),
  apply: () => import('./apply.js'),
  catalog: () => import('./catalog.js'),
  'kv-etcd': () => import('./kv-etcd.js'),
  dns: () => import('./dns.js'),
  'connect-l4': () => import('./connect-l4.js'),
  'connect-l7': () => import('./connect-l7.js'),
  ha: () => import('./ha.js'),
};

function parseArgs(argv) {
  const names = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      names.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) options[a.slice(2, eq)] = a.slice(eq + 1);
    else options[a.slice(2)] = argv[++i];
  }
  return { names, options };
}

function machine() {
  let nproc = String(cpus().length);
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // keep os.cpus()
  }
  return { nproc, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, date: new Date().toISOString() };
}

async function main() {
  const { names, options } = parseArgs(process.argv.slice(2));
  const selected = names.length ? names : Object.keys(BENCHMARKS);
  for (const n of selected) if (!BENCHMARKS[n]) throw new Error(`unknown benchmark ${n} (${Object.keys(BENCHMARKS).join(', ')})`);
  const m = machine();
  let build;
  if (options.rev) {
    build = buildRevision(options.rev);
    cleanups.push(build.remove);
    useWeftRoot(build.dir);
  }
  m.weft = build ? `commit ${build.sha} (built from --rev ${options.rev})` : `${describeTree(ROOT)} (dist/ of this working tree)`;
  console.log(`# Weft benchmarks: ${selected.join(', ')}\nmachine: nproc ${m.nproc} (${m.cpu}), node ${m.node}, ${m.date}\nweft: ${m.weft}\n`);
  const results = [];
  for (const name of selected) {
    const mod = await BENCHMARKS[name]();
    console.log(`## ${name}: ${mod.description}`);
    const t0 = Date.now();
    const result = await mod.run(options);
    results.push(result);
    console.log(`\n${result.markdown}\n\n(${name} took ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  if (options.json) writeFileSync(options.json, JSON.stringify({ machine: m, argv: process.argv.slice(2), results }, null, 2));
}

const cleanups = [];
function cleanup() {
  killAll();
  for (const fn of cleanups.splice(0)) fn();
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}

main().then(
  () => {
    cleanup();
    process.exit(0);
  },
  (err) => {
    console.error(err?.stack ?? err);
    cleanup();
    process.exit(1);
  },
);
