import { describe, expect, it } from 'vitest';
import { lex } from './lexer.js';

const opts = { leftDelim: '{{', rightDelim: '}}', breakOK: true, continueOK: true };
const summary = (text: string, o = opts): string[] => lex(text, o).map((t) => `${t.type}:${t.val}@${t.line}`);

describe('lex', () => {
  it('splits text and actions, trimming around markers', () => {
    expect(summary('a \n{{- .X.Y | printf "%d" 1 -}}\n b')).toEqual([
      'text:a@1', 'leftDelim:{{@2', 'field:.X@2', 'field:.Y@2', 'space: @2', 'pipe:|@2', 'space: @2',
      'identifier:printf@2', 'space: @2', 'string:"%d"@2', 'space: @2', 'number:1@2', 'rightDelim:}}@2', 'text:b@3', 'eof:EOF@3',
    ]);
  });

  it('scans keywords, variables, declarations, literals and parentheses', () => {
    expect(summary("{{range $i, $e := (index . 'x' `r` nil true)}}{{end}}")).toEqual([
      'leftDelim:{{@1', 'range:range@1', 'space: @1', 'variable:$i@1', 'char:,@1', 'space: @1', 'variable:$e@1', 'space: @1',
      'declare::=@1', 'space: @1', 'leftParen:(@1', 'identifier:index@1', 'space: @1', 'dot:.@1', 'space: @1',
      "charConstant:'x'@1", 'space: @1', 'rawString:`r`@1', 'space: @1', 'nil:nil@1', 'space: @1', 'bool:true@1',
      'rightParen:)@1', 'rightDelim:}}@1', 'leftDelim:{{@1', 'end:end@1', 'rightDelim:}}@1', 'eof:EOF@1',
    ]);
  });

  it('drops comments and keeps line numbers after them', () => {
    expect(summary('a{{/* one\ntwo */}}b\n{{.}}')).toEqual(['text:a@1', 'text:b\n@2', 'leftDelim:{{@3', 'dot:.@3', 'rightDelim:}}@3', 'eof:EOF@3']);
  });

  it('demotes break and continue to identifiers when functions take those names', () => {
    expect(summary('{{break}}', { ...opts, breakOK: false })).toContain('identifier:break@1');
    expect(summary('{{break}}')).toContain('break:break@1');
  });

  it('uses custom delimiters', () => {
    expect(summary('{{x}}<< .A >>', { ...opts, leftDelim: '<<', rightDelim: '>>' })).toEqual([
      'text:{{x}}@1', 'leftDelim:<<@1', 'space: @1', 'field:.A@1', 'space: @1', 'rightDelim:>>@1', 'eof:EOF@1',
    ]);
  });

  it('ends with the error that stopped it', () => {
    const tokens = lex('{{ "abc', opts);
    expect(tokens[tokens.length - 1]).toMatchObject({ type: 'error', val: 'unterminated quoted string', pos: 3, line: 1 });
  });
});
