/**
 * Quiescence (`wait { min max }`): after a change, wait `min` for things to settle; every
 * further change restarts that wait, but never past `max` after the first one, so a
 * template under continuous change still renders at least every `max`.
 */
export class Quiescence {
  private timer: NodeJS.Timeout | undefined;
  private deadline = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly fire: () => void,
  ) {}

  tick(): void {
    const now = Date.now();
    if (!this.timer) {
      this.deadline = now + this.maxMs;
      this.arm(this.minMs);
      return;
    }
    if (now + this.minMs < this.deadline) this.arm(this.minMs);
    else if (this.deadline - now > 0) this.arm(this.deadline - now);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, ms);
  }
}
