/** Tokens of the template language, and how Go prints them in error messages. */
import { quote } from './strconv.js';

export const KEYWORDS = {
  '.': 'dot', block: 'block', break: 'break', continue: 'continue', define: 'define', else: 'else',
  end: 'end', if: 'if', range: 'range', nil: 'nil', template: 'template', with: 'with',
} as const;

export type Keyword = (typeof KEYWORDS)[keyof typeof KEYWORDS];

export type TokenType =
  | 'error' | 'bool' | 'char' | 'charConstant' | 'complex' | 'assign' | 'declare' | 'eof' | 'field'
  | 'identifier' | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString' | 'rightDelim'
  | 'rightParen' | 'space' | 'string' | 'text' | 'variable' | Keyword;

export interface Token {
  type: TokenType;
  /** Offset of the token in the source text. */
  pos: number;
  val: string;
  line: number;
}

const KEYWORD_TYPES = new Set<TokenType>(Object.values(KEYWORDS));

/** How Go prints a token in "unexpected X in Y" messages. */
export function tokenString(t: Token): string {
  if (t.type === 'eof') return 'EOF';
  if (t.type === 'error') return t.val;
  if (KEYWORD_TYPES.has(t.type)) return `<${t.val}>`;
  if (Buffer.byteLength(t.val) > 10) return `${quote([...t.val].slice(0, 10).join(''))}...`;
  return quote(t.val);
}

/** Go's %#U: `U+0041 'A'`. */
export function formatU(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch) ? `${hex} '${ch}'` : hex;
}
