import { describe, expect, it } from 'vitest';
import { Lexer, type Token } from './lexer.js';

function tokens(source: string): Array<Pick<Token, 'kind' | 'text'>> {
  const lexer = new Lexer(source);
  const out: Array<Pick<Token, 'kind' | 'text'>> = [];
  for (let i = 0; ; i++) {
    const { kind, text } = lexer.at(i);
    if (kind === 'eof') return out;
    out.push({ kind, text });
  }
}

describe('Lexer', () => {
  it.each([
    ['"plain"', 'plain'],
    ['"tab\\there"', 'tab\there'],
    ['"quote \\" inside"', 'quote " inside'],
    ['"back\\\\slash"', 'back\\slash'],
    ['"\\x41\\101\\u00e9\\U0001F600"', 'AAé😀'],
    ['"\\a\\b\\f\\n\\r\\v"', '\x07\b\f\n\r\v'],
    ['`raw \\n stays`', 'raw \\n stays'],
    ['`multi\r\nline`', 'multi\nline'],
    ['""', ''],
  ])('decodes the string %s', (source, value) => {
    expect(tokens(source)).toEqual([{ kind: 'string', text: value }]);
  });

  it.each([
    ['0', '0'],
    ['8080', '8080'],
    ['-5', '-5'],
    ['1.25', '1.25'],
    ['-0.5)', '-0.5'],
  ])('reads the number %s', (source, text) => {
    expect(tokens(source)[0]).toEqual({ kind: 'number', text });
  });

  it('splits operators, punctuation and words, remembering preceding space', () => {
    expect(tokens('Meta["k"].x!=v==(w)')).toEqual([
      { kind: 'word', text: 'Meta' },
      { kind: '[', text: '[' },
      { kind: 'string', text: 'k' },
      { kind: ']', text: ']' },
      { kind: '.', text: '.' },
      { kind: 'word', text: 'x' },
      { kind: '!=', text: '!=' },
      { kind: 'word', text: 'v' },
      { kind: '==', text: '==' },
      { kind: '(', text: '(' },
      { kind: 'word', text: 'w' },
      { kind: ')', text: ')' },
    ]);
    const lexer = new Lexer('A .B');
    expect([lexer.at(0).spaceBefore, lexer.at(1).spaceBefore, lexer.at(2).spaceBefore]).toEqual([false, true, false]);
  });

  it('hands unknown characters to the parser instead of failing early', () => {
    expect(tokens('a = b')).toEqual([
      { kind: 'word', text: 'a' },
      { kind: 'invalid', text: '=' },
      { kind: 'word', text: 'b' },
    ]);
  });

  it('raises lexical errors only when the parser reaches them', () => {
    const lexer = new Lexer('a "unterminated');
    expect(lexer.at(0).kind).toBe('word');
    expect(() => lexer.at(1)).toThrow('unterminated string literal');
  });
});
