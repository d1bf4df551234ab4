import { describe, expect, it } from 'vitest';
import { StatusHandler } from './status-handler.js';
import type { CheckStatus } from './types.js';

/** Feeds a sequence of run results and returns what would be reported after each (null = held back). */
function feed(t: { successBeforePassing: number; failuresBeforeWarning: number; failuresBeforeCritical: number }, runs: CheckStatus[]) {
  const h = new StatusHandler(t);
  return runs.map((status) => h.next({ status, output: status })?.status ?? null);
}

describe('StatusHandler', () => {
  it('reports every result when all thresholds are 0', () => {
    expect(feed({ successBeforePassing: 0, failuresBeforeWarning: 0, failuresBeforeCritical: 0 }, ['passing', 'critical', 'warning', 'critical'])).toEqual([
      'passing',
      'critical',
      'warning',
      'critical',
    ]);
  });

  it('reports the first result at once, then needs N consecutive successes to pass again', () => {
    expect(feed({ successBeforePassing: 3, failuresBeforeWarning: 0, failuresBeforeCritical: 0 }, ['passing', 'critical', 'passing', 'passing', 'critical', 'passing', 'passing', 'passing'])).toEqual([
      'passing',
      'critical',
      null,
      null,
      'critical',
      null,
      null,
      'passing',
    ]);
  });

  it('counts a warning run as a success', () => {
    expect(feed({ successBeforePassing: 2, failuresBeforeWarning: 0, failuresBeforeCritical: 0 }, ['critical', 'warning', 'passing'])).toEqual(['critical', null, 'passing']);
  });

  it('turns early failures into warning, then critical', () => {
    expect(feed({ successBeforePassing: 0, failuresBeforeWarning: 2, failuresBeforeCritical: 4 }, ['passing', 'critical', 'critical', 'critical', 'critical', 'passing'])).toEqual([
      'passing',
      null,
      'warning',
      'warning',
      'critical',
      'passing',
    ]);
  });

  it('goes straight to critical when failures_before_warning equals failures_before_critical (its default)', () => {
    expect(feed({ successBeforePassing: 0, failuresBeforeWarning: 2, failuresBeforeCritical: 2 }, ['passing', 'critical', 'critical'])).toEqual(['passing', null, 'critical']);
  });
});
