/**
 * The template lexer: text, actions between delimiters, and the tokens
 * inside actions, following Go's text/template/parse lexer rule for rule
 * (trim markers `{{- ` / ` -}}`, comments, the terminator rule after names).
 * It scans the whole input up front; a lexical error is the last token.
 */
import { isAlphaNumeric, isSpace, type LexOptions, Scanner } from './scanner.js';
import { formatU, KEYWORDS, type Keyword, type Token } from './token.js';

export type { LexOptions } from './scanner.js';

const TRIM_MARKER_LEN = 2;
const hasLeftTrimMarker = (s: string, at: number): boolean => s[at] === '-' && isSpace(s[at + 1]);
const hasRightTrimMarker = (s: string, at: number): boolean => isSpace(s[at]) && s[at + 1] === '-';

export function lex(input: string, opts: LexOptions): Token[] {
  return new Lexer(input, opts).run();
}

class Lexer extends Scanner {
  private parenDepth = 0;
  private inside = false;

  run(): Token[] {
    let more = true;
    while (more) more = this.inside ? this.lexInsideAction() : this.lexText();
    return this.tokens;
  }

  /** Scans text up to the next left delimiter, trimming before `{{- `. Returns false at the end. */
  private lexText(): boolean {
    const { leftDelim } = this.opts;
    const x = this.input.indexOf(leftDelim, this.pos);
    if (x === -1) {
      this.pos = this.input.length;
      if (this.pos > this.start) this.emit('text');
      this.emit('eof', 'EOF');
      return false;
    }
    if (x > this.pos) {
      let end = x;
      if (hasLeftTrimMarker(this.input, x + leftDelim.length)) {
        while (end > this.start && isSpace(this.input[end - 1])) end--;
      }
      if (end > this.start) {
        this.pos = end;
        this.emit('text');
      }
      this.pos = x;
      this.start = x;
    }
    return this.lexLeftDelim();
  }

  private lexLeftDelim(): boolean {
    this.pos += this.opts.leftDelim.length;
    const trim = hasLeftTrimMarker(this.input, this.pos);
    const afterMarker = trim ? TRIM_MARKER_LEN : 0;
    if (this.input.startsWith('/*', this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.start = this.pos;
      return this.lexComment();
    }
    this.emit('leftDelim');
    this.inside = true;
    this.pos += afterMarker;
    this.start = this.pos;
    this.parenDepth = 0;
    return true;
  }

  private lexComment(): boolean {
    this.pos += 2;
    const x = this.input.indexOf('*/', this.pos);
    if (x === -1) return this.error('unclosed comment');
    this.pos = x + 2;
    const { delim, trim } = this.atRightDelim();
    if (!delim) return this.error('comment ends before closing delimiter');
    if (trim) this.pos += TRIM_MARKER_LEN;
    this.pos += this.opts.rightDelim.length;
    if (trim) this.skipLeadingSpace();
    this.start = this.pos;
    return true;
  }

  private skipLeadingSpace(): void {
    while (isSpace(this.input[this.pos])) this.pos++;
  }

  private atRightDelim(): { delim: boolean; trim: boolean } {
    const { rightDelim } = this.opts;
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(rightDelim, this.pos + TRIM_MARKER_LEN)) {
      return { delim: true, trim: true };
    }
    return { delim: this.input.startsWith(rightDelim, this.pos), trim: false };
  }

  private lexRightDelim(): boolean {
    const { trim } = this.atRightDelim();
    if (trim) {
      this.pos += TRIM_MARKER_LEN;
      this.start = this.pos;
    }
    this.pos += this.opts.rightDelim.length;
    this.emit('rightDelim');
    this.inside = false;
    if (trim) {
      this.skipLeadingSpace();
      this.start = this.pos;
    }
    return true;
  }

  /** Scans one token inside an action. */
  private lexInsideAction(): boolean {
    if (this.atRightDelim().delim) {
      if (this.parenDepth === 0) return this.lexRightDelim();
      return this.error('unclosed left paren');
    }
    const r = this.next();
    switch (true) {
      case r === undefined:
        return this.error('unclosed action');
      case isSpace(r):
        this.pos -= 1;
        return this.lexSpace();
      case r === '=':
        this.emit('assign');
        return true;
      case r === ':':
        if (this.next() !== '=') return this.error('expected :=');
        this.emit('declare');
        return true;
      case r === '|':
        this.emit('pipe');
        return true;
      case r === '"':
        return this.lexQuote();
      case r === '`':
        return this.lexRawQuote();
      case r === '$':
        return this.lexVariable();
      case r === "'":
        return this.lexChar();
      case r === '.' && !(this.input[this.pos] >= '0' && this.input[this.pos] <= '9'):
        return this.lexFieldOrVariable('field');
      case r === '.' || r === '+' || r === '-' || (r! >= '0' && r! <= '9'):
        this.pos -= 1;
        return this.lexNumber();
      case isAlphaNumeric(r):
        this.pos -= r!.length;
        return this.lexIdentifier();
      case r === '(':
        this.parenDepth++;
        this.emit('leftParen');
        return true;
      case r === ')':
        this.parenDepth--;
        if (this.parenDepth < 0) return this.error('unexpected right paren');
        this.emit('rightParen');
        return true;
      case r!.codePointAt(0)! < 0x80 && r! >= ' ' && r !== '\x7f':
        this.emit('char');
        return true;
      default:
        return this.error(`unrecognized character in action: ${formatU(r!)}`);
    }
  }

  private lexSpace(): boolean {
    let spaces = 0;
    while (isSpace(this.input[this.pos])) {
      this.pos++;
      spaces++;
    }
    // " -}}" starts with a space: leave that space to the delimiter.
    if (hasRightTrimMarker(this.input, this.pos - 1) && this.input.startsWith(this.opts.rightDelim, this.pos - 1 + TRIM_MARKER_LEN)) {
      this.pos--;
      if (spaces === 1) return this.lexRightDelim();
    }
    this.emit('space');
    return true;
  }

  private lexIdentifier(): boolean {
    while (isAlphaNumeric(this.peek())) this.next();
    const word = this.input.slice(this.start, this.pos);
    if (!this.atTerminator()) return this.error(`bad character ${formatU(this.peek()!)}`);
    const keyword = Object.hasOwn(KEYWORDS, word) ? (KEYWORDS as Record<string, Keyword>)[word] : undefined;
    if (keyword && keyword !== 'dot') {
      const demoted = (keyword === 'break' && !this.opts.breakOK) || (keyword === 'continue' && !this.opts.continueOK);
      this.emit(demoted ? 'identifier' : keyword);
    } else if (word === 'true' || word === 'false') this.emit('bool');
    else this.emit('identifier');
    return true;
  }

  private lexVariable(): boolean {
    if (this.atTerminator()) {
      this.emit('variable');
      return true;
    }
    return this.lexFieldOrVariable('variable');
  }

  /** `.Name` or `$name`; the leading `.` or `$` has been consumed. */
  private lexFieldOrVariable(type: 'field' | 'variable'): boolean {
    if (this.atTerminator()) {
      this.emit(type === 'variable' ? 'variable' : 'dot');
      return true;
    }
    while (isAlphaNumeric(this.peek())) this.next();
    if (!this.atTerminator()) return this.error(`bad character ${formatU(this.peek()!)}`);
    this.emit(type);
    return true;
  }

}
