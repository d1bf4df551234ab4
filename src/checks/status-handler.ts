import type { CheckStatus, ProbeResult } from './types.js';

export interface Thresholds {
  successBeforePassing: number;
  failuresBeforeWarning: number;
  failuresBeforeCritical: number;
}

/**
 * Consul's StatusHandler: a run's verdict becomes the check's status only after enough consecutive
 * runs agree. Passing and warning runs count as successes; critical runs count as failures, which
 * report warning from `failuresBeforeWarning` on and critical from `failuresBeforeCritical` on.
 * Both counters start at their thresholds, so the very first run after registration reports at once.
 */
export class StatusHandler {
  private successes: number;
  private failures: number;

  constructor(private readonly t: Thresholds) {
    this.successes = t.successBeforePassing;
    this.failures = t.failuresBeforeCritical;
  }

  /** The status to report for this run's result, or null while a threshold holds the current one. */
  next(result: ProbeResult): ProbeResult | null {
    if (result.status !== 'critical') {
      this.successes++;
      this.failures = 0;
      return this.successes >= this.t.successBeforePassing ? result : null;
    }
    this.failures++;
    this.successes = 0;
    if (this.failures >= this.t.failuresBeforeCritical) return result;
    if (this.failures >= this.t.failuresBeforeWarning) return { status: 'warning' satisfies CheckStatus, output: result.output };
    return null;
  }
}
