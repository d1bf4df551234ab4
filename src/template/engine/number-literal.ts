/**
 * Numeric constants in actions, with Go's literal syntax and Go's verdicts:
 * 0x/0o/0b prefixes, a leading 0 meaning octal, `_` separators, hex floats,
 * 'c' character constants. Complex constants are not supported (rejected).
 */
import { quote, SyntaxErr, unquoteChar } from './strconv.js';

export interface NumberValue {
  value: number | bigint;
  overflowsInt: boolean;
}

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** strconv's rule: underscores only between digits (a base prefix counts as a digit). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseInt(text, 0, 64) widened: returns the exact integer or undefined when not an integer literal. */
function parseInteger(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let digits = s;
  let pattern = /^[0-9]+$/;
  let prefix = '';
  if (/^0[xX]/.test(s)) [digits, pattern, prefix] = [s.slice(2), /^[0-9a-fA-F]+$/, '0x'];
  else if (/^0[oO]/.test(s)) [digits, pattern, prefix] = [s.slice(2), /^[0-7]+$/, '0o'];
  else if (/^0[bB]/.test(s)) [digits, pattern, prefix] = [s.slice(2), /^[01]+$/, '0b'];
  else if (s.length > 1 && s[0] === '0') [digits, pattern, prefix] = [s.slice(1), /^[0-7]+$/, '0o'];
  if (s.includes('_')) {
    if (!underscoreOK(s)) return undefined;
    digits = digits.replaceAll('_', '');
  }
  if (!pattern.test(digits)) return undefined;
  const v = BigInt(prefix + digits);
  return neg ? -v : v;
}

function parseFloatLiteral(text: string): number | undefined {
  if (text.includes('_') && !underscoreOK(text)) return undefined;
  const s = text.replaceAll('_', '');
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (!hex || hex[2] + hex[3] === '') return undefined;
  const mantissa = parseInt(hex[2] + hex[3] || '0', 16) / 16 ** hex[3].length;
  const v = mantissa * 2 ** Number(hex[4]);
  return hex[1] === '-' ? -v : v;
}

function toValue(i: bigint): number | bigint {
  return i >= BigInt(Number.MIN_SAFE_INTEGER) && i <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(i) : i;
}

/** Throws Error/SyntaxErr with Go's message on a bad literal (the parser prefixes the location). */
export function parseNumber(text: string, type: 'number' | 'charConstant' | 'complex'): NumberValue {
  if (type === 'charConstant') {
    const ch = unquoteChar(text.slice(1), "'");
    if (ch.rest !== "'") throw new Error(`malformed character constant: ${text}`);
    return { value: ch.value, overflowsInt: false };
  }
  if (type === 'complex' || text.endsWith('i')) throw new Error(`complex constants are not supported: ${text}`);
  const int = parseInteger(text);
  if (int !== undefined && int >= -INT64_MAX - 1n && int <= UINT64_MAX) {
    return { value: toValue(int), overflowsInt: int > INT64_MAX };
  }
  const f = parseFloatLiteral(text);
  if (f === undefined || !Number.isFinite(f)) throw new SyntaxErr(`illegal number syntax: ${quote(text)}`);
  if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${quote(text)}`);
  return { value: f, overflowsInt: false };
}
