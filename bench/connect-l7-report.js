// Figures, aims and the markdown table of bench/connect-l7.js. Latencies are in µs until printed.
import { fmt, median } from './lib/stats.js';

/** Medians over the repetitions of one path. */
export function summarize(p) {
  const med = (runs, k) => median(runs.map((x) => x[k]));
  const perSidecar = (runs, k) => p.pids.map((_, i) => median(runs.map((x) => x[k][i])));
  return {
    name: p.name,
    rps: med(p.wrk, 'rps'),
    rpsAll: p.wrk.map((w) => w.rps),
    p50: med(p.wrk, 'p50'),
    p99: med(p.wrk, 'p99'),
    cpuUsPerReq: perSidecar(p.wrk, 'cpuUsPerReq'),
    fixed: {
      p50: med(p.fixed, 'p50'),
      p99: med(p.fixed, 'p99'),
      p99All: p.fixed.map((f) => f.p99),
      p999: med(p.fixed, 'p999'),
      sentP99: med(p.fixed, 'sentP99'),
      lagP99: med(p.fixed, 'lagP99'),
      rate: med(p.fixed, 'rate'),
      vcpuPer1k: perSidecar(p.fixed, 'vcpuPer1k'),
    },
    othersMs: [...p.wrk, ...p.fixed].map((x) => x.othersMs),
    windowsMs: { wrk: p.wrk.map((x) => [x.fromMs, x.toMs]), fixed: p.fixed.map((x) => [x.fromMs, x.toMs]) },
    pids: p.pids,
    mem: p.mem,
  };
}

/** Latency a pair adds to the direct path's, and the ratio of two of them only when both are real. */
export function ratios(r) {
  const { direct, weft, nginx } = r;
  const added = (x, k) => (x && direct ? x.fixed[k] - direct.fixed[k] : NaN);
  const over = (a, b) => (a > 0 && b > 0 ? a / b : NaN);
  const s = {
    rpsWeftOverNginx: weft && nginx ? weft.rps / nginx.rps : NaN,
    addedP50: { weft: added(weft, 'p50'), nginx: added(nginx, 'p50') },
    addedP99: { weft: added(weft, 'p99'), nginx: added(nginx, 'p99') },
    addedSentP99: { weft: added(weft, 'sentP99'), nginx: added(nginx, 'sentP99') },
    vcpuPer1k: { weft: weft?.fixed.vcpuPer1k ?? [], nginx: nginx?.fixed.vcpuPer1k ?? [] },
    peakRssMb: { weft: weft?.mem.map((m) => m.peak) ?? [], nginx: nginx?.mem.map((m) => m.peak) ?? [] },
  };
  s.addedP99WeftOverNginx = over(s.addedP99.weft, s.addedP99.nginx);
  s.addedSentP99WeftOverNginx = over(s.addedSentP99.weft, s.addedSentP99.nginx);
  s.addedP50WeftOverNginx = over(s.addedP50.weft, s.addedP50.nginx);
  // When the NGINX pair's added p99 is within the noise (not above the direct path's), the
  // ratio means nothing: the aim then counts as met only if Weft adds nothing measurable either.
  const addedOk = s.addedP99.nginx > 0 ? s.addedP99WeftOverNginx <= 1.5 : s.addedP99.weft <= 0;
  s.aims = {
    rps: s.rpsWeftOverNginx >= 0.8,
    addedP99: Number.isFinite(s.addedP99.weft) ? addedOk : false,
    vcpu: s.vcpuPer1k.weft.length > 0 && s.vcpuPer1k.weft.every((c) => c < 0.1),
    rss: s.peakRssMb.weft.length > 0 && s.peakRssMb.weft.every((m) => m < 60),
  };
  return s;
}

const ms = (us, d = 2) => fmt(us / 1000, d);
const both = (xs, f) => (xs.length ? xs.map(f).join(' + ') : '–');
const verdict = (b) => (b ? '**met**' : '**missed**');

function row(x) {
  const f = x.fixed;
  const mem = x.mem.length ? x.mem.map((m) => `${fmt(m.now, 0)} / ${fmt(m.peak, 0)}`).join(', ') : '–';
  return `| ${x.name} | ${fmt(x.rps, 0)} (${x.rpsAll.map((v) => fmt(v, 0)).join(', ')}) | ${ms(x.p50)} / ${ms(x.p99)} | ${both(x.cpuUsPerReq, (c) => fmt(c, 0))} | ${ms(f.p50, 3)} / ${ms(f.p99, 3)} / ${ms(f.p999, 3)} (${f.p99All.map((v) => ms(v, 2)).join(', ')}) | ${ms(f.lagP99, 3)} | ${both(f.vcpuPer1k, (c) => fmt(c, 3))} | ${mem} |`;
}

export function report(r, s, idle, opts, l7) {
  const others = Object.values(r).flatMap((x) => x.othersMs);
  const rate = opts.rate;
  return [
    `| path | req/s under wrk, median (each rep) | p50 / p99 ms under wrk | sidecar CPU µs per request under wrk (web + db) | at ${rate} req/s: p50 / p99 / p99.9 ms (p99 of each rep) | generator lag p99 ms | vCPU per 1000 req/s at ${rate} req/s (web + db) | RSS after / peak MB (web, db) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...['direct', 'weft', 'nginx'].filter((k) => r[k]).map((k) => row(r[k])),
    '',
    '| aim | Weft | NGINX pair | Weft / NGINX, verdict |',
    '| --- | ---: | ---: | --- |',
    `| req/s under wrk ≥ 0.8× NGINX pair | ${fmt(r.weft?.rps, 0)} | ${fmt(r.nginx?.rps, 0)} | ${fmt(s.rpsWeftOverNginx, 2)}×, ${verdict(s.aims.rps)} |`,
    `| added p99 at ${rate} req/s (p99 minus direct's) ≤ 1.5× NGINX pair's | ${ms(s.addedP99.weft, 3)} ms | ${ms(s.addedP99.nginx, 3)} ms | ${fmt(s.addedP99WeftOverNginx, 2)}×, ${verdict(s.aims.addedP99)} |`,
    `| (the same, timed from each send instead of its due time) | ${ms(s.addedSentP99.weft, 3)} ms | ${ms(s.addedSentP99.nginx, 3)} ms | ${fmt(s.addedSentP99WeftOverNginx, 2)}× |`,
    `| (added p50 at ${rate} req/s, no aim) | ${ms(s.addedP50.weft, 3)} ms | ${ms(s.addedP50.nginx, 3)} ms | ${fmt(s.addedP50WeftOverNginx, 2)}× |`,
    `| < 0.1 vCPU per 1000 req/s per sidecar | ${both(s.vcpuPer1k.weft, (c) => fmt(c, 3))} | ${both(s.vcpuPer1k.nginx, (c) => fmt(c, 3))} | ${verdict(s.aims.vcpu)} |`,
    `| < 60 MB RSS per sidecar (peak) | ${both(s.peakRssMb.weft, (m) => fmt(m, 0))} MB | ${both(s.peakRssMb.nginx, (m) => fmt(m, 0))} MB | ${verdict(s.aims.rss)} |`,
    '',
    `L7 check before measuring: Weft ${l7.weft.detail}; NGINX ${l7.nginx.detail}. Idle RSS before the load: Weft ${idle.weft.map((m) => fmt(m, 0)).join(' / ')} MB, NGINX ${idle.nginx.map((m) => fmt(m, 0)).join(' / ')} MB (web / db).`,
    `wrk ${opts.threads} thread, ${opts.conns} keep-alive connections, ${opts.seconds} s per repetition after 2 s warm-up per path; fixed rate ${rate} req/s open loop for ${opts.rateSeconds} s per repetition (after 1 s on the same schedule, left out) over ${opts.rateConns} keep-alive connections, latency from each request's due time; ${opts.reps} repetitions of each, paths rotated, medians shown. Response: ${opts.bodyBytes}-byte body from nginx \`return 200\`. CPU of processes outside the benchmark during each measurement: ${others.map((o) => fmt(o, 0)).join(', ')} ms.`,
  ].join('\n');
}
