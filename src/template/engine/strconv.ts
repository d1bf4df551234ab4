/**
 * Go's string-literal rules (strconv.Unquote, UnquoteChar, Quote), which the
 * template language inherits for "strings", `raw strings` and 'c' constants.
 * Go strings are bytes: \x and octal escapes produce bytes, decoded as UTF-8.
 */

/** strconv.ErrSyntax's text, which Go's parser reports verbatim. */
export class SyntaxErr extends Error {
  constructor(message = 'invalid syntax') {
    super(message);
  }
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
const HEX_LEN: Record<string, number> = { x: 2, u: 4, U: 8 };
const utf8 = new TextDecoder('utf-8');

/** One character of a quoted literal: a code point (rune) or a raw byte (from \x or octal). */
interface Unquoted {
  value: number;
  isByte: boolean;
  rest: string;
}

export function unquoteChar(s: string, quote: string): Unquoted {
  const c = s[0];
  if (c === quote && (quote === "'" || quote === '"')) throw new SyntaxErr();
  if (c !== '\\') {
    const cp = s.codePointAt(0)!;
    return { value: cp, isByte: false, rest: s.slice(cp > 0xffff ? 2 : 1) };
  }
  if (s.length < 2) throw new SyntaxErr();
  const e = s[1];
  let rest = s.slice(2);
  if (e in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[e], isByte: false, rest };
  if (e in HEX_LEN) {
    const n = HEX_LEN[e];
    const digits = rest.slice(0, n);
    if (digits.length < n || !/^[0-9a-fA-F]+$/.test(digits)) throw new SyntaxErr();
    const v = parseInt(digits, 16);
    if (e === 'x') return { value: v, isByte: true, rest: rest.slice(n) };
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxErr();
    return { value: v, isByte: false, rest: rest.slice(n) };
  }
  if (e >= '0' && e <= '7') {
    const digits = s.slice(1, 4);
    if (!/^[0-7]{3}$/.test(digits)) throw new SyntaxErr();
    const v = parseInt(digits, 8);
    if (v > 255) throw new SyntaxErr();
    rest = s.slice(4);
    return { value: v, isByte: true, rest };
  }
  if (e === "'" || e === '"') {
    if (e !== quote) throw new SyntaxErr();
    return { value: e.charCodeAt(0), isByte: false, rest };
  }
  throw new SyntaxErr();
}

/** strconv.Unquote for the two string forms an action may contain. */
export function unquote(literal: string): string {
  const q = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== q) throw new SyntaxErr();
  let body = literal.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new SyntaxErr();
    return body.includes('\r') ? body.replaceAll('\r', '') : body;
  }
  if (q !== '"') throw new SyntaxErr();
  if (body.includes('\n')) throw new SyntaxErr();
  if (!body.includes('\\') && !body.includes('"')) return body;
  const bytes: number[] = [];
  const enc = new TextEncoder();
  while (body.length > 0) {
    const ch = unquoteChar(body, '"');
    if (ch.isByte) bytes.push(ch.value);
    else for (const b of enc.encode(String.fromCodePoint(ch.value))) bytes.push(b);
    body = ch.rest;
  }
  return utf8.decode(Uint8Array.from(bytes));
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function escapeRune(cp: number, quote: string, asciiOnly: boolean): string {
  const ch = String.fromCodePoint(cp);
  if (ch === quote || ch === '\\') return `\\${ch}`;
  if (asciiOnly ? cp < 0x80 && PRINTABLE.test(ch) : PRINTABLE.test(ch)) return ch;
  switch (cp) {
    case 7: return '\\a';
    case 8: return '\\b';
    case 12: return '\\f';
    case 10: return '\\n';
    case 13: return '\\r';
    case 9: return '\\t';
    case 11: return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** strconv.Quote (and QuoteToASCII when asciiOnly). */
export function quote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, '"', asciiOnly);
  return `${out}"`;
}

/** strconv.QuoteRune: what %q prints for an integer. */
export function quoteRune(cp: number, asciiOnly = false): string {
  const valid = cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
  return `'${escapeRune(valid ? cp : 0xfffd, "'", asciiOnly)}'`;
}

/** strconv.CanBackquote: %#q prints `raw` when this holds. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '`' || ch === '\ufeff' || (cp < 0x20 && ch !== '\t') || cp === 0x7f) return false;
  }
  return true;
}
