import { describe, expect, it } from 'vitest';
import { FieldReader } from './fields.js';

describe('FieldReader', () => {
  it('matches keys case-insensitively, preferring an exact match', () => {
    const r = FieldReader.of({ port: 1, Port: 2, NAME: 'x' }, 'T');
    expect(r.int('Port')).toBe(2);
    expect(r.string('Name')).toBe('x');
  });

  it('treats null and absent fields as zero values', () => {
    const r = FieldReader.of({ Name: null }, 'T');
    expect(r.string('Name')).toBe('');
    expect(r.bool('Flag')).toBe(false);
    expect(r.stringList('Tags')).toBeUndefined();
    expect(FieldReader.of(null, 'T').string('Anything')).toBe('');
  });

  it('accepts alternative names such as snake_case', () => {
    expect(FieldReader.of({ enable_tag_override: true }, 'T').bool(['EnableTagOverride', 'enable_tag_override'])).toBe(true);
  });

  it('refuses values of the wrong JSON type with Go’s wording and the field path', () => {
    const r = FieldReader.of({ Service: { Port: 'eighty' } }, 'RegisterRequest');
    expect(() => r.object('Service')!.int('Port')).toThrow(
      'Request decode failed: json: cannot unmarshal string into Go struct field RegisterRequest.Service.Port of type int',
    );
    expect(() => FieldReader.of({ Tags: ['a', 1] }, 'S').stringList('Tags')).toThrow('cannot unmarshal number 1 into Go struct field S.Tags of type string');
    expect(() => FieldReader.of([1], 'RegisterRequest')).toThrow('Request decode failed: json: cannot unmarshal array into Go value of type RegisterRequest');
  });

  it('checks integer ranges', () => {
    expect(() => FieldReader.of({ Port: 70000 }, 'S').int('Port', { min: 0, max: 65535 })).toThrow('S.Port: 70000 is out of range (0..65535)');
    expect(() => FieldReader.of({ Port: 80.5 }, 'S').int('Port')).toThrow('cannot unmarshal number 80.5');
  });

  it('reads durations as Go strings or nanoseconds', () => {
    const r = FieldReader.of({ A: '1m30s', B: 2_000_000_000, C: 'soon' }, 'D');
    expect(r.duration('A')).toBe(90_000);
    expect(r.duration('B')).toBe(2000);
    expect(() => r.duration('C')).toThrow('Request decode failed: time: invalid duration "soon"');
  });
});
