import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson } from './json-bytes.js';

describe('the JSON codec of rows and ops', () => {
  it('keeps byte arrays as bytes, Buffers included', () => {
    const v = { Key: 'k', Value: new TextEncoder().encode('héllo'), Payload: Buffer.from([0, 255, 7]), Nested: [{ B: new Uint8Array(0) }] };
    const back = decodeJson<typeof v>(encodeJson(v));
    expect(back.Value).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(back.Value)).toBe('héllo');
    expect([...back.Payload]).toEqual([0, 255, 7]);
    expect(back.Nested[0].B).toBeInstanceOf(Uint8Array);
    expect(back.Nested[0].B.length).toBe(0);
  });

  it('leaves ordinary values alone, even a map that happens to use the marker among other keys', () => {
    const v = { n: null, s: 'x', a: [1, 'two'], meta: { '$weft.bytes': 'AA==', other: 'y' } };
    expect(decodeJson(encodeJson(v))).toEqual(v);
  });
});
