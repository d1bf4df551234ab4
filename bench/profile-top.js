// Prints the hottest functions of a V8 CPU profile (`node --cpu-prof`), optionally only the
// samples inside a time window, e.g. the fan-out of one repetition (the window is in the
// monotonic ms that `node bench/run.js fanout --json FILE` records as `writeAtMs`):
//
//   node bench/profile-top.js PROFILE.cpuprofile [FROM_MS TO_MS] [TOP]
import { readFileSync } from 'node:fs';

const [file, fromMs, toMs, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-top.js PROFILE.cpuprofile [FROM_MS TO_MS] [TOP]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const where = (n) => {
  const cf = n.callFrame;
  const url = cf.url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|dist|bench)\//, '$1/');
  return `${cf.functionName || '(anonymous)'} ${url}:${cf.lineNumber + 1}`;
};
const lo = fromMs ? Number(fromMs) * 1000 : -Infinity;
const hi = toMs ? Number(toMs) * 1000 : Infinity;
const self = new Map();
const total = new Map();
let sampledUs = 0;
let t = prof.startTime;
for (let i = 0; i < prof.samples.length; i++) {
  t += prof.timeDeltas[i];
  if (t < lo || t > hi) continue;
  const dt = prof.timeDeltas[i + 1] ?? 0;
  sampledUs += dt;
  let id = prof.samples[i];
  const leaf = where(byId.get(id));
  self.set(leaf, (self.get(leaf) ?? 0) + dt);
  const seen = new Set();
  for (; id !== undefined; id = parent.get(id)) {
    const k = where(byId.get(id));
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + dt);
  }
}
const print = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / sampledUs).toFixed(1).padStart(5)} %  ${k}`);
  }
};
console.log(`${file}: ${(sampledUs / 1000).toFixed(1)} ms sampled${fromMs ? ` in ${fromMs}..${toMs}` : ''}`);
print('self time', self);
print('inclusive time', total);
