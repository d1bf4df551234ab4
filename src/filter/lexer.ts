import { FilterSyntaxError } from './syntax-error.js';

export type TokenKind =
  | 'word'
  | 'string'
  | 'number'
  | '=='
  | '!='
  | '('
  | ')'
  | '.'
  | '['
  | ']'
  | 'invalid'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Source text; for strings, the decoded value. */
  readonly text: string;
  readonly start: number;
  /** Selectors may not contain whitespace (`A . B` is not `A.B`), so the parser needs to know. */
  readonly spaceBefore: boolean;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 10;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isWordChar = (c: number): boolean => isLetter(c) || isDigit(c) || c === 95;

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"',
};

/**
 * Tokens are produced on demand and cached, so a lexical error surfaces only
 * when the parser reaches it (errors come out in source order) and the parser
 * can rewind by index when it backtracks over `not`.
 */
export class Lexer {
  private readonly tokens: Token[] = [];
  private offset = 0;

  constructor(private readonly src: string) {}

  at(index: number): Token {
    while (this.tokens.length <= index) {
      const last = this.tokens[this.tokens.length - 1];
      if (last !== undefined && last.kind === 'eof') return last;
      this.tokens.push(this.scan());
    }
    return this.tokens[index];
  }

  private scan(): Token {
    const src = this.src;
    const from = this.offset;
    let i = from;
    while (i < src.length && isSpace(src.charCodeAt(i))) i++;
    const spaceBefore = i > from;
    const start = i;
    if (i >= src.length) {
      this.offset = i;
      return { kind: 'eof', text: '', start, spaceBefore };
    }
    const c = src.charCodeAt(i);
    const ch = src[i];
    let kind: TokenKind;
    let text: string;
    if (isLetter(c)) {
      i++;
      while (i < src.length && isWordChar(src.charCodeAt(i))) i++;
      kind = 'word';
      text = src.slice(start, i);
    } else if (isDigit(c) || (ch === '-' && isDigit(src.charCodeAt(i + 1)))) {
      i = this.scanNumber(start);
      kind = 'number';
      text = src.slice(start, i);
    } else if (ch === '"' || ch === '`') {
      [text, i] = ch === '"' ? this.scanQuoted(start) : this.scanRaw(start);
      kind = 'string';
    } else if ((ch === '=' || ch === '!') && src[i + 1] === '=') {
      kind = ch === '=' ? '==' : '!=';
      text = kind;
      i += 2;
    } else if (ch === '(' || ch === ')' || ch === '.' || ch === '[' || ch === ']') {
      kind = ch;
      text = ch;
      i++;
    } else {
      // Left for the parser to reject, so the message can say what was expected there.
      kind = 'invalid';
      text = String.fromCodePoint(src.codePointAt(i) ?? c);
      i += text.length;
    }
    this.offset = i;
    return { kind, text, start, spaceBefore };
  }

  /** go-bexpr's number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, followed by space, `)` or the end. */
  private scanNumber(start: number): number {
    const src = this.src;
    let i = start;
    if (src[i] === '-') i++;
    if (src[i] === '0') i++;
    else while (isDigit(src.charCodeAt(i))) i++;
    if (src[i] === '.' && isDigit(src.charCodeAt(i + 1))) {
      i++;
      while (isDigit(src.charCodeAt(i))) i++;
    }
    if (i < src.length && !isSpace(src.charCodeAt(i)) && src[i] !== ')') {
      throw new FilterSyntaxError(start, 'invalid number literal');
    }
    return i;
  }

  /** Raw strings drop carriage returns, as Go's strconv.Unquote does. */
  private scanRaw(start: number): [string, number] {
    const end = this.src.indexOf('`', start + 1);
    if (end < 0) throw new FilterSyntaxError(start, 'unterminated string literal');
    return [this.src.slice(start + 1, end).replace(/\r/g, ''), end + 1];
  }

  /** Go string-literal escapes; unlike go-bexpr, `\"` does not end the string. */
  private scanQuoted(start: number): [string, number] {
    const src = this.src;
    let out = '';
    let i = start + 1;
    let chunk = i;
    for (;;) {
      if (i >= src.length) throw new FilterSyntaxError(start, 'unterminated string literal');
      const ch = src[i];
      if (ch === '"') return [out + src.slice(chunk, i), i + 1];
      if (ch === '\n') throw new FilterSyntaxError(i, 'newline in string literal');
      if (ch !== '\\') {
        i++;
        continue;
      }
      if (i + 1 >= src.length) throw new FilterSyntaxError(start, 'unterminated string literal');
      out += src.slice(chunk, i);
      const [decoded, next] = this.escape(i);
      out += decoded;
      i = chunk = next;
    }
  }

  private escape(at: number): [string, number] {
    const src = this.src;
    const e = src[at + 1];
    const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
    if (simple !== undefined) return [simple, at + 2];
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    let code = Number.NaN;
    let next = at + 2 + width;
    if (width > 0) {
      const hex = src.slice(at + 2, next);
      if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === width) code = parseInt(hex, 16);
    } else if (e !== undefined && e >= '0' && e <= '7') {
      const oct = src.slice(at + 1, at + 4);
      next = at + 4;
      if (/^[0-7]{3}$/.test(oct)) code = parseInt(oct, 8);
      if (code > 255) code = Number.NaN;
    }
    const surrogate = code >= 0xd800 && code <= 0xdfff;
    if (Number.isNaN(code) || code > 0x10ffff || surrogate) {
      throw new FilterSyntaxError(at, 'invalid escape sequence in string literal');
    }
    return [String.fromCodePoint(code), next];
  }
}
