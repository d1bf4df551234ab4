import { describe, expect, it } from 'vitest';
import { combineHash, xxh32, xxh32Bytes } from './endpoint-hash.js';

// Reference values from `xxhsum -H0` (Debian package xxhash), so the port is bit-exact.
const VECTORS: [string, number][] = [
  ['', 0x02cc5d05],
  ['a', 0x550d7456],
  ['abc', 0x32d153ff],
  ['ujzde8gx/d6ncf1', 0xde1fc278],
  ['0epf91d:ho--/d:/', 0xf6e90c4c],
  ['zdoc9is0j8h:t9lg/', 0xff6d8070],
  [':-mxg9e:d_n581u3/3xtplpf:t75v2s', 0xb5b3c9ac],
  ['.eh60kvj50ce9:uvw.5/3efr4edt:2sy', 0xd10a1f00],
  ['wb3wk_h5dnsipzz5fk2z9ri19r0wyojfl', 0x20215ff6],
  ['10.0.0.1:8080/web-1_0', 0x414f5de9],
  ['Nobody inspects the spammish repetition', 0xe2293b2f],
  [
    'jooa5/lqsaj08x_:ui6_d39zzzzg4-zdmen2khv.dga:j8gx_ben_yj-qw.x4hh5344tfjgvq4k7bn7xj8b7tfq7xkwo886v-o_m',
    0xf1c5d63c,
  ],
  // Non-ASCII input is hashed as its UTF-8 bytes.
  ['héllo wörld ✓', 0xc26dc238],
];

describe('xxh32', () => {
  it.each(VECTORS)('matches the reference implementation for %j', (input, expected) => {
    expect(xxh32(input)).toBe(expected);
    expect(xxh32Bytes(new TextEncoder().encode(input))).toBe(expected);
  });

  it('returns unsigned 32-bit integers', () => {
    for (let i = 0; i < 1000; i++) {
      const h = xxh32(`key-${i}`);
      expect(Number.isInteger(h)).toBe(true);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(2 ** 32);
    }
  });

  it('gives a different hash under another seed', () => {
    expect(xxh32('10.0.0.1:8080', 1)).not.toBe(xxh32('10.0.0.1:8080', 0));
  });

  it('hashes long strings and long non-ASCII strings', () => {
    const long = 'x'.repeat(5000);
    expect(xxh32(long)).toBe(xxh32Bytes(new TextEncoder().encode(long)));
    const wide = 'ü✓'.repeat(300);
    expect(xxh32(wide, 7)).toBe(xxh32Bytes(new TextEncoder().encode(wide), undefined, 7));
  });

  it('spreads similar keys evenly over buckets', () => {
    const buckets = new Array(16).fill(0);
    for (let i = 0; i < 16000; i++) buckets[xxh32(`user-${i}`) % 16]++;
    for (const b of buckets) expect(Math.abs(b - 1000)).toBeLessThan(150);
  });
});

describe('combineHash', () => {
  it('takes the first value as is', () => {
    expect(combineHash(undefined, 42)).toBe(42);
  });

  it('does not cancel two equal values out', () => {
    const h = xxh32('same');
    expect(combineHash(h, h)).not.toBe(0);
  });

  it('depends on order', () => {
    const a = xxh32('a');
    const b = xxh32('b');
    expect(combineHash(combineHash(undefined, a), b)).not.toBe(combineHash(combineHash(undefined, b), a));
  });
});
