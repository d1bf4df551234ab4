import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../../test/e2e/harness.js';

const MB = 1024 * 1024;

// V8's heap is per process and this test runner's young generation has long grown, so the
// bound is measured in a fresh Node process: the module, as plain JavaScript, and a load
// shaped like a proxy's (small allocations per event-loop turn, a working set that survives
// a few scavenges), first bounded, then after the undo.
const CHILD = `
import { getHeapSpaceStatistics } from 'node:v8';
const { boundSidecarHeap } = await import(process.argv[2]);
const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
async function churn(ms) {
  const ring = new Array(20000);
  let max = 0;
  let i = 0;
  for (const end = Date.now() + ms; Date.now() < end; ) {
    for (let k = 0; k < 1000; k++, i++) ring[i % ring.length] = { id: i, parts: [i, i + 1], name: 'request ' + i };
    await new Promise((resolve) => setImmediate(resolve));
    max = Math.max(max, newSpace());
  }
  return max;
}
const undo = boundSidecarHeap(Number(process.argv[3]));
const bounded = await churn(1000);
undo();
const unbounded = await churn(1000);
console.log(JSON.stringify({ bounded, unbounded }));
`;

const dir = tempDir('weft-heap-bounds-');
afterAll(() => removeDir(dir));

async function runChild(semiSpaceMb: number): Promise<{ bounded: number; unbounded: number }> {
  const source = readFileSync(new URL('./heap-bounds.ts', import.meta.url), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  writeFileSync(join(dir, 'heap-bounds.mjs'), js);
  writeFileSync(join(dir, 'child.mjs'), CHILD);
  const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'child.mjs'), join(dir, 'heap-bounds.mjs'), String(semiSpaceMb)]);
  return JSON.parse(stdout) as { bounded: number; unbounded: number };
}

describe('boundSidecarHeap', () => {
  it('keeps the young generation at its cap under allocation pressure, and lets it grow again once undone', async () => {
    const { bounded, unbounded } = await runChild(1);
    // The cap is 2 × 1 MB (two semi-spaces); a GC observed one turn late may have doubled it once.
    expect(bounded).toBeLessThanOrEqual(4 * MB);
    // The same load without the bound grows V8's default new space well past it.
    expect(unbounded).toBeGreaterThanOrEqual(16 * MB);
  });
});
