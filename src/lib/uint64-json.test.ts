import { describe, expect, it } from 'vitest';
import { parseJsonExact, parseUint64, stringifyExact } from './uint64-json.js';

const LOCK_FLAG = '3304740253564472344'; // Consul's api.LockFlagValue, 0x2ddccbc058a50c18

describe('uint64 JSON', () => {
  it('parses uint64 text exactly and refuses what is not one', () => {
    expect(parseUint64('42')).toBe(42);
    expect(parseUint64(LOCK_FLAG)).toBe(LOCK_FLAG);
    expect(parseUint64('18446744073709551615')).toBe('18446744073709551615');
    expect(parseUint64('18446744073709551616')).toBeUndefined();
    expect(parseUint64('-1')).toBeUndefined();
    expect(parseUint64('1e3')).toBeUndefined();
  });

  it('keeps big flags exact through parse and stringify, whatever the key case', () => {
    const text = `[{"Key":"a","flags":${LOCK_FLAG},"Value":null},{"Key":"\\"Flags\\":12345678901234567890","Flags":7}]`;
    const parsed = parseJsonExact<{ Key: string; Flags?: unknown; flags?: unknown }[]>(text, ['Flags']);
    expect(parsed[0].flags).toBe(LOCK_FLAG);
    expect(parsed[1]).toEqual({ Key: '"Flags":12345678901234567890', Flags: 7 });
    const out = stringifyExact([{ Key: LOCK_FLAG, Flags: LOCK_FLAG }], ['Flags']);
    expect(out).toBe(`[{"Key":"${LOCK_FLAG}","Flags":${LOCK_FLAG}}]`);
    expect(stringifyExact({ Flags: LOCK_FLAG }, ['Flags'], 4)).toBe(`{\n    "Flags": ${LOCK_FLAG}\n}`);
  });
});
