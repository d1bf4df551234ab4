// Preloaded (`node --import`) into every server a fan-out benchmark measures, Weft and the
// floor alike, so the benchmark can tell server time from load-generator time: it notes
// when the server last called `ServerResponse#end` (CLOCK_MONOTONIC, comparable with the
// benchmark's clock) and prints `@@probe {"ends":N,"lastEndMs":T}` on stderr at SIGUSR2.
// It changes nothing else; its cost is one clock read per response.
import http from 'node:http';
import { writeSync } from 'node:fs';

const end = http.ServerResponse.prototype.end;
let ends = 0;
let lastEndMs = 0;
http.ServerResponse.prototype.end = function probedEnd(...args) {
  const out = end.apply(this, args);
  ends++;
  lastEndMs = Number(process.hrtime.bigint()) / 1e6;
  return out;
};
process.on('SIGUSR2', () => writeSync(2, `\n@@probe ${JSON.stringify({ ends, lastEndMs })}\n`));
