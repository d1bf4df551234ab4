import { describe, expect, it } from 'vitest';
import { sprintfRows } from './cases.js';
import { formatValue, sprint, sprintf, sprintln } from './index.js';

describe('sprintf follows Go fmt', () => {
  it.each(sprintfRows.map(([format, args, want]) => [format, args, want] as const))('%s', (format, args, want) => {
    expect(sprintf(format, args)).toBe(want);
  });

  it('formats integral JS numbers with float verbs (Go would need a float64)', () => {
    expect(sprintf('%.2f %e %g', [3, 3, 3])).toBe('3.00 3.000000e+00 3');
  });

  it('formats bigints as integers', () => {
    expect(sprintf('%d %x %v', [18446744073709551615n, 255n, -3n])).toBe('18446744073709551615 ff -3');
  });

  it('prints NaN and infinities as Go does', () => {
    expect(sprintf('%v %v %v %f %+f %5.1f|', [NaN, Infinity, -Infinity, Infinity, NaN, Infinity])).toBe('NaN +Inf -Inf +Inf +NaN  +Inf|');
  });
});

describe('sprint and sprintln', () => {
  it('adds spaces between operands when neither is a string', () => {
    expect(sprint(['a', 'b', 1, 2, 'c', 3.5, true, false, null, undefined, '\n'])).toBe('ab1 2c3.5 true false <nil> <nil>\n');
  });

  it('always separates with spaces and ends the line', () => {
    expect(sprintln(['a', 1, null])).toBe('a 1 <nil>\n');
  });

  it('renders composite values in Go syntax', () => {
    expect(formatValue({ z: [1, { y: 'q' }], a: true })).toBe('map[a:true z:[1 map[y:q]]]');
  });
});
