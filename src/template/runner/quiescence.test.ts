import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Quiescence } from './quiescence.js';

describe('quiescence timers', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires min after the last change', () => {
    const fire = vi.fn();
    const q = new Quiescence(1000, 10_000, fire);
    q.tick();
    vi.advanceTimersByTime(600);
    q.tick();
    vi.advanceTimersByTime(600);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(400);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('fires by max after the first change, even while changes keep coming', () => {
    const fire = vi.fn();
    const q = new Quiescence(1000, 3000, fire);
    q.tick();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(500);
      q.tick();
    }
    // 2.5s in: the next change would push past max, so the timer is set for the deadline.
    vi.advanceTimersByTime(499);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('stops', () => {
    const fire = vi.fn();
    const q = new Quiescence(100, 400, fire);
    q.tick();
    q.stop();
    vi.advanceTimersByTime(1000);
    expect(fire).not.toHaveBeenCalled();
  });
});
