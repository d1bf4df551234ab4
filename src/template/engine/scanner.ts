/**
 * The character-level half of the template lexer: positions, emitting
 * tokens, and scanning literals (numbers, strings, character constants) and
 * the end of names, by Go's rules. Lexer (./lexer.ts) drives it.
 */
import { quote } from './strconv.js';
import type { Token, TokenType } from './token.js';

export const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const ALNUM = /^[\p{L}\p{Nd}_]$/u;
export const isAlphaNumeric = (c: string | undefined): boolean => c !== undefined && ALNUM.test(c);

export interface LexOptions {
  leftDelim: string;
  rightDelim: string;
  /** `break`/`continue` are keywords unless a function of that name exists. */
  breakOK: boolean;
  continueOK: boolean;
}

export class Scanner {
  protected pos = 0;
  protected start = 0;
  protected readonly tokens: Token[] = [];
  private readonly newlines: number[] = [];

  constructor(protected readonly input: string, protected readonly opts: LexOptions) {
    for (let i = input.indexOf('\n'); i !== -1; i = input.indexOf('\n', i + 1)) this.newlines.push(i);
  }

  protected lineAt(pos: number): number {
    let lo = 0;
    let hi = this.newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.newlines[mid] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }

  protected emit(type: TokenType, val = this.input.slice(this.start, this.pos)): void {
    this.tokens.push({ type, pos: this.start, val, line: this.lineAt(this.start) });
    this.start = this.pos;
  }

  protected error(message: string): false {
    this.tokens.push({ type: 'error', pos: this.start, val: message, line: this.lineAt(this.start) });
    return false;
  }

  /** The next code point as a string, or undefined at the end. */
  protected next(): string | undefined {
    if (this.pos >= this.input.length) return undefined;
    const cp = this.input.codePointAt(this.pos)!;
    const ch = String.fromCodePoint(cp);
    this.pos += ch.length;
    return ch;
  }

  protected peek(): string | undefined {
    if (this.pos >= this.input.length) return undefined;
    return String.fromCodePoint(this.input.codePointAt(this.pos)!);
  }

  protected accept(valid: string): boolean {
    const c = this.peek();
    if (c !== undefined && valid.includes(c)) {
      this.pos += c.length;
      return true;
    }
    return false;
  }

  protected acceptRun(valid: string): void {
    while (this.accept(valid));
  }

  /** Whether a name may end here; this is what splits `.X.Y` and rejects `$x+2`. */
  protected atTerminator(): boolean {
    const r = this.peek();
    if (r === undefined || isSpace(r) || '.,|:)('.includes(r)) return true;
    return this.input.startsWith(this.opts.rightDelim, this.pos);
  }

  protected lexChar(): boolean {
    for (;;) {
      const r = this.next();
      if (r === '\\') {
        const e = this.next();
        if (e !== undefined && e !== '\n') continue;
        return this.error('unterminated character constant');
      }
      if (r === undefined || r === '\n') return this.error('unterminated character constant');
      if (r === "'") break;
    }
    this.emit('charConstant');
    return true;
  }

  protected lexNumber(): boolean {
    if (!this.scanNumber()) return this.error(`bad number syntax: ${quote(this.input.slice(this.start, this.pos))}`);
    const sign = this.peek();
    if (sign === '+' || sign === '-') {
      if (!this.scanNumber() || this.input[this.pos - 1] !== 'i') {
        return this.error(`bad number syntax: ${quote(this.input.slice(this.start, this.pos))}`);
      }
      this.emit('complex');
      return true;
    }
    this.emit('number');
    return true;
  }

  /** Deliberately loose (accepts "089", "0x0.2"); the parser rejects what strconv would. */
  protected scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  protected lexQuote(): boolean {
    for (;;) {
      const r = this.next();
      if (r === '\\') {
        const e = this.next();
        if (e !== undefined && e !== '\n') continue;
        return this.error('unterminated quoted string');
      }
      if (r === undefined || r === '\n') return this.error('unterminated quoted string');
      if (r === '"') break;
    }
    this.emit('string');
    return true;
  }

  protected lexRawQuote(): boolean {
    const end = this.input.indexOf('`', this.pos);
    if (end === -1) return this.error('unterminated raw quoted string');
    this.pos = end + 1;
    this.emit('rawString');
    return true;
  }
}
