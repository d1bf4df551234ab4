import type { Expr, MatchTest, MatchValue, Selector } from './ast.js';
import { Lexer, type Token } from './lexer.js';
import { expectedError, FilterSyntaxError } from './syntax-error.js';

/**
 * Filters arrive in query strings, so nesting is attacker-controlled; a cap
 * keeps both this recursive parser and the compiled predicate off the stack limit.
 */
export const MAX_DEPTH = 100;

/** A resource limit, not a grammar question: backtracking must not paper over it. */
class TooDeep extends FilterSyntaxError {}

const AFTER_SELECTOR = ['"=="', '"!="', '"."', '"["', '"contains"', '"in"', '"is"', '"matches"', '"not"'];
const START = ['"("', '"not"', 'a selector', 'a quoted value'];
const VALUE = ['a quoted string', 'a number', 'a bare word'];

/**
 * Grammar (go-bexpr's, written for recursive descent):
 *   or    := and ("or" and)*
 *   and   := unary ("and" unary)*
 *   unary := "not" unary | "(" or ")" | match
 *   match := selector ("=="|"!=") value | selector "is" ["not"] "empty"
 *          | selector ["not"] ("contains"|"matches") value
 *          | value ["not"] "in" selector
 * Precedence not > and > or falls out of the nesting.
 */
export function parse(source: string): Expr {
  return new Parser(new Lexer(source)).parseInput();
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly lexer: Lexer) {}

  parseInput(): Expr {
    const expr = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpected(t, ['"and"', '"or"', 'end of input']);
    return expr;
  }

  private peek(): Token {
    return this.lexer.at(this.pos);
  }

  private advance(): Token {
    return this.lexer.at(this.pos++);
  }

  private isWord(t: Token, word: string): boolean {
    return t.kind === 'word' && t.text === word;
  }

  private unexpected(t: Token, expected: readonly string[]): FilterSyntaxError {
    return expectedError(t.start, expected, t.kind === 'eof' ? undefined : t.text);
  }

  private parseOr(): Expr {
    const first = this.parseAnd();
    if (!this.isWord(this.peek(), 'or')) return first;
    // Flat operand lists keep evaluation iterative however long the chain is.
    const operands = [first];
    while (this.isWord(this.peek(), 'or')) {
      this.advance();
      operands.push(this.parseAnd());
    }
    return { type: 'or', operands };
  }

  private parseAnd(): Expr {
    const first = this.parseUnary();
    if (!this.isWord(this.peek(), 'and')) return first;
    const operands = [first];
    while (this.isWord(this.peek(), 'and')) {
      this.advance();
      operands.push(this.parseUnary());
    }
    return { type: 'and', operands };
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (!this.isWord(t, 'not')) return this.parsePrimary();
    // `not` is also a legal field name (`not == "x"`); like go-bexpr's PEG, try the
    // operator first and fall back to a selector. The fallback never recurses back
    // here, so a chain of `not`s stays linear.
    const saved = this.pos;
    try {
      this.advance();
      const operand = this.nested(t.start, () => this.parseUnary());
      return operand.type === 'not' ? operand.operand : { type: 'not', operand };
    } catch (asOperator) {
      if (!(asOperator instanceof FilterSyntaxError) || asOperator instanceof TooDeep) throw asOperator;
      this.pos = saved;
      try {
        return this.parseMatch();
      } catch (asSelector) {
        if (!(asSelector instanceof FilterSyntaxError)) throw asSelector;
        throw asSelector.offset > asOperator.offset ? asSelector : asOperator;
      }
    }
  }

  private parsePrimary(): Expr {
    const open = this.peek();
    if (open.kind !== '(') return this.parseMatch();
    this.advance();
    return this.nested(open.start, () => {
      const expr = this.parseOr();
      const close = this.peek();
      if (close.kind === ')') {
        this.advance();
        return expr;
      }
      if (close.kind === 'eof') {
        throw new FilterSyntaxError(close.start, `unmatched parentheses: "(" at offset ${open.start} is never closed`);
      }
      throw this.unexpected(close, ['"and"', '"or"', '")"']);
    });
  }

  private nested<T>(at: number, parse: () => T): T {
    if (this.depth >= MAX_DEPTH) {
      throw new TooDeep(at, `expression nested more than ${MAX_DEPTH} levels deep`);
    }
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private parseMatch(): Expr {
    const t = this.peek();
    if (t.kind === 'string' || t.kind === 'number') {
      this.advance();
      return this.parseValueFirst({ raw: t.text, start: t.start });
    }
    if (t.kind !== 'word') throw this.unexpected(t, START);
    const selector = this.parseSelector();
    const op = this.advance();
    if (op.kind === '==' || op.kind === '!=') {
      return this.match('equal', op.kind === '!=', selector, this.parseValue());
    }
    const word = op.kind === 'word' ? op.text : '';
    const negate = word === 'not';
    const verb = negate ? this.advance() : op;
    switch (verb.kind === 'word' ? verb.text : '') {
      case 'contains':
        return this.match('in', negate, selector, this.parseValue());
      case 'matches':
        return this.match('matches', negate, selector, this.parseValue());
      case 'in':
        // A bare word before `in` is a value that happens to look like a selector.
        return this.match('in', negate, this.parseSelector(), { raw: selector.parts.join('.'), start: selector.start });
      case 'is':
        if (!negate) return this.parseIsEmpty(selector);
    }
    throw negate ? this.unexpected(verb, ['"contains"', '"in"', '"matches"']) : this.unexpected(op, AFTER_SELECTOR);
  }

  private parseIsEmpty(selector: Selector): Expr {
    let t = this.advance();
    const negate = this.isWord(t, 'not');
    if (negate) t = this.advance();
    if (!this.isWord(t, 'empty')) throw this.unexpected(t, negate ? ['"empty"'] : ['"empty"', '"not"']);
    return { type: 'match', test: 'empty', negate, selector };
  }

  private parseValueFirst(value: MatchValue): Expr {
    const op = this.advance();
    const negate = this.isWord(op, 'not');
    const verb = negate ? this.advance() : op;
    if (!this.isWord(verb, 'in')) throw this.unexpected(verb, negate ? ['"in"'] : ['"in"', '"not"']);
    return this.match('in', negate, this.parseSelector(), value);
  }

  private match(test: MatchTest, negate: boolean, selector: Selector, value: MatchValue): Expr {
    return { type: 'match', test, negate, selector, value };
  }

  private parseValue(): MatchValue {
    const t = this.peek();
    if (t.kind === 'word') {
      const sel = this.parseSelector();
      return { raw: sel.parts.join('.'), start: sel.start };
    }
    if (t.kind !== 'string' && t.kind !== 'number') throw this.unexpected(t, VALUE);
    this.advance();
    return { raw: t.text, start: t.start };
  }

  private parseSelector(): Selector {
    const first = this.peek();
    if (first.kind !== 'word') throw this.unexpected(first, ['a selector']);
    this.advance();
    const parts = [first.text];
    for (let t = this.peek(); !t.spaceBefore && (t.kind === '.' || t.kind === '['); t = this.peek()) {
      this.advance();
      parts.push(t.kind === '.' ? this.selectorName() : this.selectorIndex());
    }
    return { parts, start: first.start };
  }

  private selectorName(): string {
    const t = this.advance();
    if (t.kind !== 'word' || t.spaceBefore) {
      throw this.unexpected(t, ['a field name (letters, digits, "_"; use ["name"] for others)']);
    }
    return t.text;
  }

  private selectorIndex(): string {
    const key = this.advance();
    if (key.kind !== 'string') {
      throw new FilterSyntaxError(key.start, 'invalid index: expected a quoted string inside "[ ]"');
    }
    const close = this.advance();
    if (close.kind !== ']') throw new FilterSyntaxError(close.start, 'unclosed index expression: expected "]"');
    return key.text;
  }
}
