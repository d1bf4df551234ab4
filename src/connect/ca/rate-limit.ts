import { WeftError } from '../../lib/errors.js';

/**
 * Consul's CSR limits: CSRMaxPerSecond as a token bucket (0 turns it off), else
 * CSRMaxConcurrent signings at once. A refused request is a 429 the agent retries later.
 */
export class CsrLimiter {
  private tokens: number;
  private last = Date.now();
  private inFlight = 0;

  constructor(
    private perSecond: number,
    private concurrent: number,
  ) {
    this.tokens = Math.max(1, perSecond);
  }

  configure(perSecond: number, concurrent: number): void {
    this.perSecond = perSecond;
    this.concurrent = concurrent;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.take();
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
    }
  }

  private take(): void {
    if (this.perSecond > 0) {
      const now = Date.now();
      this.tokens = Math.min(Math.max(1, this.perSecond), this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens < 1) throw limited();
      this.tokens -= 1;
    } else if (this.concurrent > 0 && this.inFlight >= this.concurrent) {
      throw limited();
    }
  }
}

function limited(): WeftError {
  return new WeftError('TOO_MANY_REQUESTS', 'Rate limit reached, try again later');
}
