// The fan-out benchmark's summary: medians of the repetitions and the Markdown table that
// goes into BENCHMARKS.md.
import { fmt, median } from './stats.js';

/** Median of each figure over the repetitions of one server, plus what the checks found. */
export function summarize(runs) {
  const pick = (k) => median(runs.map((r) => r[k]));
  return {
    totalMs: pick('totalMs'),
    p50Ms: pick('p50Ms'),
    p99Ms: pick('p99Ms'),
    maxMs: pick('maxMs'),
    putMs: pick('putMs'),
    serverMs: pick('serverMs'),
    serverCpuMs: pick('serverCpuMs'),
    rssHeld: pick('rssHeld'),
    rssAfter: pick('rssAfter'),
    rssPeak: pick('rssPeak'),
    totals: runs.map((r) => r.totalMs),
    answered: Math.min(...runs.map((r) => r.answered)),
    early: Math.max(...runs.map((r) => r.early)),
    missing: Math.max(...runs.map((r) => r.missing)),
    settle: [...new Set(runs.map((r) => `${r.settle.method}${r.settle.gauge === null ? ' (no gauge)' : ` (gauge ${r.settle.gauge})`}`))].join(', '),
    bodyBytes: runs[0].bodyBytes,
    headerCount: runs[0].headerCount,
    errors: runs.flatMap((r) => r.errors).slice(0, 5),
    noisyReps: runs.filter((r) => r.noisy).length,
    foreignCpuMs: runs.map((r) => r.foreignCpuMs),
    runs,
  };
}

/** The results table and one line of checks per scenario and N. */
export function markdown(rows) {
  const out = [
    '| scenario | N | server | total = max latency | p50 | p99 | totals of the reps | server: last answer written | server CPU | RSS held | RSS after | peak RSS | ratio total | ratio server-side | ratio CPU |',
    '| --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    for (const [name, s] of [['weft', r.weft], ['floor', r.floor]]) {
      out.push(
        `| ${r.scenario} | ${r.n} | ${name} | ${fmt(s.totalMs)} ms | ${fmt(s.p50Ms)} ms | ${fmt(s.p99Ms)} ms | ` +
          `${s.totals.map((t) => fmt(t)).join(' / ')} | ${fmt(s.serverMs)} ms | ${fmt(s.serverCpuMs, 0)} ms | ${fmt(s.rssHeld, 0)} MB | ${fmt(s.rssAfter, 0)} MB | ${fmt(s.rssPeak, 0)} MB | ` +
          (name === 'weft' ? `**${fmt(r.ratio, 2)}** | ${fmt(r.serverRatio, 2)} | ${fmt(r.cpuRatio, 2)} |` : ' | | |'),
      );
    }
  }
  const checks = rows.map(
    (r) =>
      `- ${r.scenario} N=${r.n}: answered weft ${r.weft.answered}/${r.n}, floor ${r.floor.answered}/${r.n}; early answers ${r.weft.early}/${r.floor.early}; ` +
      `body ${r.weft.bodyBytes.join('-')} B vs ${r.floor.bodyBytes.join('-')} B; headers ${r.weft.headerCount.join('-')} vs ${r.floor.headerCount.join('-')}; ` +
      `held confirmed by: weft ${r.weft.settle}; floor ${r.floor.settle}; ` +
      `CPU used by other processes during the reps: weft ${r.weft.foreignCpuMs.join('/')} ms, floor ${r.floor.foreignCpuMs.join('/')} ms` +
      (r.weft.noisyReps + r.floor.noisyReps ? ` (**${r.weft.noisyReps + r.floor.noisyReps} rep(s) still noisy after the retries**)` : ''),
  );
  return [...out, '', ...checks].join('\n');
}
