import { isDeepStrictEqual } from 'node:util';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../api/index.js';
import type { Dependency, FetchOptions, FetchResult } from './dependency.js';
import { HealthService } from './shapes/health.js';
import { View } from './view.js';

/**
 * The watch loop against a dependency that answers from a script: one scripted answer per
 * fetch, the options of each fetch recorded. (The loop's real dependencies are exercised
 * against a live agent in test/e2e/template.test.ts.)
 */
class Scripted implements Dependency {
  readonly key = 'scripted';
  readonly calls: FetchOptions[] = [];
  constructor(
    private readonly answers: (FetchResult | Error)[],
    readonly blockOnNil = false,
  ) {}

  fetch(_ctx: unknown, opts: FetchOptions): Promise<FetchResult> {
    this.calls.push({ ...opts });
    const next = this.answers.shift();
    if (!next) return new Promise((_, reject) => opts.signal.addEventListener('abort', () => reject(opts.signal.reason)));
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  }
}

const log = pino({ level: 'silent' });
const ctx = { client: {} as ApiClient, env: {} };

function watch(dep: Scripted, over: Partial<ConstructorParameters<typeof View>[1]> = {}) {
  const data: unknown[] = [];
  const errors: Error[] = [];
  let notify: () => void = () => {};
  const view = new View(
    dep,
    { ctx, maxStaleMs: 0, blockWaitMs: 60_000, once: false, retry: { enabled: true, attempts: 2, backoffMs: 1, maxBackoffMs: 1 }, log, ...over },
    (v) => {
      data.push(v.data);
      notify();
    },
    (_v, err) => {
      errors.push(err);
      notify();
    },
  );
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      notify = () => cond() && resolve();
      if (cond()) resolve();
    });
  view.start();
  return { view, data, errors, until };
}

const at = (index: number, value: unknown, lastContact = 0): FetchResult => ({ index, value, lastContact });

describe('the watch loop of one dependency', () => {
  it('reports new data once, blocking from the last index, and skips repeats', async () => {
    const dep = new Scripted([at(5, 'a'), at(5, 'a'), at(7, 'a'), at(9, 'b')]);
    const w = watch(dep);
    await w.until(() => w.data.length === 2);
    w.view.stop();
    expect(w.data).toEqual(['a', 'b']);
    expect(dep.calls.slice(0, 5).map((c) => c.index)).toEqual([0, 5, 5, 7, 9]);
  });

  it('starts over when the index goes backwards', async () => {
    const dep = new Scripted([at(10, 'a'), at(3, 'a'), at(4, 'c')]);
    const w = watch(dep);
    await w.until(() => w.data.length === 2);
    w.view.stop();
    expect(dep.calls.slice(0, 4).map((c) => c.index)).toEqual([0, 10, 0, 4]);
  });

  it('holds back nil for a blocking key until it has a value', async () => {
    const dep = new Scripted([at(1, null), at(2, null), at(3, 'now')], true);
    const w = watch(dep);
    await w.until(() => w.data.length === 1);
    w.view.stop();
    expect(w.data).toEqual(['now']);
  });

  it('reads stale while the server is recent enough, and asks the leader when it is not', async () => {
    const dep = new Scripted([at(1, 'old', 5_000), at(1, 'fresh', 10), at(2, 'next', 10)]);
    const w = watch(dep, { maxStaleMs: 1_000 });
    await w.until(() => w.data.length === 2);
    w.view.stop();
    expect(dep.calls.slice(0, 3).map((c) => c.stale)).toEqual([true, false, true]);
    expect(w.data).toEqual(['fresh', 'next']);
  });

  it('retries failures, then reports the error and stops', async () => {
    const dep = new Scripted([new Error('down'), at(1, 'x'), new Error('e1'), new Error('e2'), new Error('e3')]);
    const w = watch(dep);
    await w.until(() => w.errors.length === 1);
    expect(w.data).toEqual(['x']);
    expect(w.errors[0].message).toBe('e3');
    expect(dep.calls).toHaveLength(5);
  });

  it('in once mode stops after the first data', async () => {
    const dep = new Scripted([at(1, 'x'), at(2, 'y')]);
    const w = watch(dep, { once: true });
    await w.until(() => w.data.length === 1);
    await new Promise((r) => setImmediate(r));
    expect(dep.calls).toHaveLength(1);
  });
});

describe('service entries compare by value', () => {
  const entry = (port: number) => ({ Node: { Node: 'n', Address: '10.0.0.1', Meta: { rack: 'r1' } }, Service: { ID: 'web-1', Service: 'web', Port: port, Meta: { v: '1' } }, Checks: [] });

  it('is equal for equal answers and different for different ones', () => {
    expect(isDeepStrictEqual([new HealthService(entry(80))], [new HealthService(entry(80))])).toBe(true);
    expect(isDeepStrictEqual([new HealthService(entry(80))], [new HealthService(entry(81))])).toBe(false);
  });
});
