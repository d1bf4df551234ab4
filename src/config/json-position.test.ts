import { describe, expect, it } from 'vitest';
import { describeJsonError } from './parse.js';
import { lineColumn, locateJsonError } from './json-position.js';

describe('locateJsonError', () => {
  it.each([
    ['{"a": 1,}', 8, 'trailing comma before "}"'],
    ['{"a" 1}', 5, 'expected ":" after property name'],
    ['{\n  "a": tru\n}', 9, 'unexpected character "t"'],
    ['{"a": "x\ny"}', 8, 'control character in string (a string cannot span lines)'],
    ['{"a": 1', 7, 'unexpected end of input'],
    ['{} x', 3, 'unexpected text after the top-level value'],
    ['{a: 1}', 1, 'expected a double-quoted property name'],
  ])('%j', (text, offset, reason) => {
    expect(locateJsonError(text)).toEqual({ offset, reason });
    expect(() => JSON.parse(text)).toThrow();
  });

  it('accepts what JSON.parse accepts', () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}}';
    expect(JSON.parse(text)).toBeTruthy();
    expect(locateJsonError(text)).toBeNull();
  });
});

describe('describeJsonError', () => {
  it('names line and column', () => {
    const text = '{\n  "data_dir": "/d",\n  "server" true\n}';
    expect(describeJsonError(text, 'whatever V8 says')).toBe('syntax error at line 3, column 12: expected ":" after property name');
    expect(lineColumn(text, 0)).toEqual({ line: 1, column: 1 });
  });
});
