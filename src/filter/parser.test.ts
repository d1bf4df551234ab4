import { describe, expect, it } from 'vitest';
import { isWeftError } from '../lib/errors.js';
import { compileFilter } from './index.js';
import { MAX_DEPTH, parse } from './parser.js';

const m = (parts: string[], test: string, negate: boolean, raw?: string) => ({
  type: 'match',
  test,
  negate,
  selector: { parts },
  ...(raw === undefined ? {} : { value: { raw } }),
});

describe('parse: tree shape', () => {
  it.each([
    ['A == b', m(['A'], 'equal', false, 'b')],
    ['A != "b c"', m(['A'], 'equal', true, 'b c')],
    ['A is empty', m(['A'], 'empty', false)],
    ['A is not empty', m(['A'], 'empty', true)],
    ['"v" in A', m(['A'], 'in', false, 'v')],
    ['"v" not in A', m(['A'], 'in', true, 'v')],
    ['v.w in A', m(['A'], 'in', false, 'v.w')],
    ['A contains 5', m(['A'], 'in', false, '5')],
    ['A not contains -1.5', m(['A'], 'in', true, '-1.5')],
    ['A matches `\\d`', m(['A'], 'matches', false, '\\d')],
    ['A not matches "x"', m(['A'], 'matches', true, 'x')],
    ['A.B["c d"].E == x', m(['A', 'B', 'c d', 'E'], 'equal', false, 'x')],
    ['A == B.c', m(['A'], 'equal', false, 'B.c')],
    ['and == or', m(['and'], 'equal', false, 'or')],
  ])('%s', (source, expected) => expect(parse(source)).toMatchObject(expected));

  it('binds not tighter than and, and and tighter than or', () => {
    expect(parse('A == a or not B == b and C == c')).toMatchObject({
      type: 'or',
      operands: [
        m(['A'], 'equal', false, 'a'),
        { type: 'and', operands: [{ type: 'not', operand: m(['B'], 'equal', false, 'b') }, m(['C'], 'equal', false, 'c')] },
      ],
    });
  });

  it('flattens chains and cancels double negation', () => {
    const chain = parse('A == a and B == b and C == c');
    expect(chain).toMatchObject({ type: 'and' });
    expect(chain.type === 'and' && chain.operands).toHaveLength(3);
    expect(parse('not not A == a')).toMatchObject(m(['A'], 'equal', false, 'a'));
  });

  it('accepts nesting up to the limit', () => {
    const deep = `${'('.repeat(MAX_DEPTH)}A == a${')'.repeat(MAX_DEPTH)}`;
    expect(parse(deep)).toMatchObject(m(['A'], 'equal', false, 'a'));
  });
});

type Bad = [expression: string, position: string, detail: string];

describe('bad expressions throw FILTER_INVALID with a position', () => {
  const deep = `${'('.repeat(MAX_DEPTH + 1)}A == a${')'.repeat(MAX_DEPTH + 1)}`;
  const rows: Bad[] = [
    // unterminated strings
    ['ServiceName == "web', '1:16 (15)', 'unterminated string literal'],
    ['ServiceName == `web', '1:16 (15)', 'unterminated string literal'],
    ['ServiceName == "web\\', '1:16 (15)', 'unterminated string literal'],
    ['"v1 in ServiceTags', '1:1 (0)', 'unterminated string literal'],
    ['ServiceName == "a\nb"', '1:18 (17)', 'newline in string literal'],
    ['ServiceName == "a\\qb"', '1:18 (17)', 'invalid escape sequence'],
    // missing operands
    ['ServiceName ==', '1:15 (14)', 'expected: a quoted string, a number or a bare word, found end of input'],
    ['== "web"', '1:1 (0)', 'found "=="'],
    ['"v1" in', '1:8 (7)', 'expected: a selector, found end of input'],
    ['"v1" in "ServiceTags"', '1:9 (8)', 'expected: a selector, found "ServiceTags"'],
    ['ServiceName is', '1:15 (14)', 'expected: "empty" or "not"'],
    ['ServiceName is not', '1:19 (18)', 'expected: "empty", found end of input'],
    // unknown operators
    ['ServiceName = "web"', '1:13 (12)', 'found "="'],
    ['ServiceName ~= "web"', '1:13 (12)', 'found "~"'],
    ['ServicePort > 5', '1:13 (12)', 'found ">"'],
    ['ServiceName equals "web"', '1:13 (12)', 'found "equals"'],
    ['ServiceName not equals "web"', '1:17 (16)', 'expected: "contains", "in" or "matches"'],
    ['"v1" contains ServiceTags', '1:6 (5)', 'expected: "in" or "not"'],
    ['ServiceName is nil', '1:16 (15)', 'found "nil"'],
    ['ServiceName == web AND ServicePort == 1', '1:20 (19)', 'expected: "and", "or" or end of input, found "AND"'],
    ['ServiceName IS EMPTY', '1:13 (12)', 'found "IS"'],
    // dangling combinators
    ['ServiceName == web and', '1:23 (22)', 'found end of input'],
    ['ServiceName == web or', '1:22 (21)', 'found end of input'],
    ['ServiceName == web and or ServicePort == 1', '1:27 (26)', 'found "ServicePort"'],
    ['not', '1:4 (3)', 'found end of input'],
    ['ServiceName == web\nand ServicePort ==', '2:19 (37)', 'found end of input'],
    // parentheses
    ['()', '1:2 (1)', 'found ")"'],
    ['ServiceName == web and ()', '1:25 (24)', 'found ")"'],
    ['(ServiceName == web', '1:20 (19)', 'unmatched parentheses'],
    ['ServiceName == web)', '1:19 (18)', 'found ")"'],
    ['(ServiceName == web))', '1:21 (20)', 'found ")"'],
    [deep, `1:${MAX_DEPTH + 1} (${MAX_DEPTH})`, `nested more than ${MAX_DEPTH} levels`],
    // selectors
    ['NodeMeta.team-owner == x', '1:14 (13)', 'found "-"'],
    ['NodeMeta.team/owner == x', '1:14 (13)', 'found "/"'],
    ['Service. Name == web', '1:10 (9)', 'expected: a field name'],
    ['Service .Name == web', '1:9 (8)', 'found "."'],
    ['ServiceMeta[env] == prod', '1:13 (12)', 'invalid index'],
    ['ServiceMeta["env" == prod', '1:19 (18)', 'unclosed index expression'],
    ['_private == x', '1:1 (0)', 'found "_"'],
    ['Service.Meta.1 == x', '1:14 (13)', 'expected: a field name'],
    // numbers
    ['ServicePort == 80a', '1:16 (15)', 'invalid number literal'],
    ['ServicePort == 08', '1:16 (15)', 'invalid number literal'],
    ['ServicePort == 0x1F90', '1:16 (15)', 'invalid number literal'],
    // regular expressions are compiled up front
    ['ServiceName matches "[a-"', '1:21 (20)', 'invalid regular expression "[a-"'],
    ['ServiceName not matches "(?<x"', '1:25 (24)', 'invalid regular expression'],
    // nothing at all
    ['', '1:1 (0)', 'found end of input'],
    ['   ', '1:4 (3)', 'found end of input'],
  ];

  it.each(rows)('%j', (expression, position, detail) => {
    let caught: unknown;
    try {
      compileFilter(expression);
    } catch (err) {
      caught = err;
    }
    expect(isWeftError(caught, 'FILTER_INVALID')).toBe(true);
    const message = (caught as Error).message;
    expect(message.startsWith(`Failed to create boolean expression evaluator: ${position}: `)).toBe(true);
    expect(message).toContain(detail);
    expect(message).not.toContain('\n');
  });
});
