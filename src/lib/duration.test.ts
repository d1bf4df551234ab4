import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['250ms', 250],
    ['1.5s', 1500],
    ['-2s', -2000],
    ['0', 0],
    ['100us', 0.1],
  ])('%s', (input, ms) => expect(parseDuration(input)).toBe(ms));

  it('rejects missing units and garbage with Go’s wording', () => {
    expect(() => parseDuration('10')).toThrow('missing unit');
    expect(() => parseDuration('ten seconds')).toThrow('invalid duration');
    expect(() => parseDuration('')).toThrow('invalid duration');
  });

  it('reads bare numbers in the unit the caller names', () => {
    expect(parseDuration(15_000_000_000)).toBe(15_000);
    expect(parseDuration('30', 's')).toBe(30_000);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [15_000, '15s'],
  ])('%d', (ms, s) => expect(formatDuration(ms)).toBe(s));
});
