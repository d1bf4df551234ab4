import { describe, expect, it } from 'vitest';
import { SortedKeys } from './sorted-keys.js';

describe('SortedKeys', () => {
  it('keeps keys ordered and scans a prefix', () => {
    const s = new SortedKeys();
    for (const k of ['b/2', 'a', 'b/1', 'b', 'c', 'b/1']) s.add(k);
    expect(s.size).toBe(5);
    expect([...s.withPrefix('b')]).toEqual(['b', 'b/1', 'b/2']);
    expect([...s.withPrefix('b/')]).toEqual(['b/1', 'b/2']);
    s.delete('b/1');
    s.delete('missing');
    expect([...s.withPrefix('')]).toEqual(['a', 'b', 'b/2', 'c']);
  });
});
