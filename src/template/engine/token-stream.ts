/**
 * Token navigation for the parser, plus Go's parse-error wording. Go reports
 * the line of the most recently scanned token (its lexer runs one step ahead
 * of the parser), so we track the furthest token looked at.
 */
import { TemplateError } from './errors.js';
import { type Token, type TokenType, tokenString } from './token.js';

export class TokenStream {
  private i = 0;
  private furthest = 0;
  /** Line of the `{{` that opened the action being parsed; 0 outside actions. */
  protected actionLine = 0;

  constructor(protected readonly tokens: Token[], protected readonly parseName: string) {}

  protected next(): Token {
    const t = this.tokens[Math.min(this.i, this.tokens.length - 1)];
    this.furthest = Math.max(this.furthest, this.i);
    this.i++;
    return t;
  }

  protected peek(): Token {
    this.furthest = Math.max(this.furthest, this.i);
    return this.tokens[Math.min(this.i, this.tokens.length - 1)];
  }

  protected backup(): void {
    this.i--;
  }

  /** For the few places Go pushes back two or three tokens. */
  protected mark(): number {
    return this.i;
  }

  protected reset(mark: number): void {
    this.i = mark;
  }

  protected nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }

  protected peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  protected errorf(message: string): never {
    const line = this.tokens[Math.min(this.furthest, this.tokens.length - 1)].line;
    throw new TemplateError(`template: ${this.parseName}:${line}: ${message}`, { templateName: this.parseName, line });
  }

  protected expect(expected: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== expected) this.unexpected(t, context);
    return t;
  }

  protected expectOneOf(a: TokenType, b: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== a && t.type !== b) this.unexpected(t, context);
    return t;
  }

  protected unexpected(t: Token, context: string): never {
    if (t.type === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${t.val}${extra}`);
    }
    this.errorf(`unexpected ${tokenString(t)} in ${context}`);
  }
}
