/**
 * One operand of Go's fmt: a value printed under a verb and flags, including
 * Go's composite forms ([a b], map[k:v], {f g}) and its error forms
 * (%!d(string=x)). JS values are seen through ../values.ts.
 */
import { canBackquote, quote, quoteRune } from '../strconv.js';
import { isNil, kindOf, sortedEntries, typeName } from '../values.js';
import { type FloatVerb, formatAbsFloat } from './float.js';

export interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  wid: number | undefined;
  prec: number | undefined;
}

export const noFlags = (): Flags => ({ plus: false, minus: false, sharp: false, space: false, zero: false, wid: undefined, prec: undefined });

const runeCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** Pads to the width (counted in runes); Go zero-pads strings too when asked. */
function pad(s: string, f: Flags, zero = f.zero): string {
  if (f.wid === undefined) return s;
  const n = f.wid - runeCount(s);
  if (n <= 0) return s;
  if (f.minus) return s + ' '.repeat(n);
  return (zero ? '0' : ' ').repeat(n) + s;
}

function badVerb(verb: string, arg: unknown, f: Flags): string {
  if (isNil(arg)) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(arg)}=${formatArg(arg, 'v', f)})`;
}

function fmtInteger(v: bigint, verb: string, f: Flags): string {
  const base = verb === 'b' ? 2 : verb === 'o' || verb === 'O' ? 8 : verb === 'x' || verb === 'X' ? 16 : 10;
  const neg = v < 0n;
  let prec = f.prec;
  if (prec === 0 && v === 0n) return pad('', f, false);
  if (prec === undefined && f.zero && f.wid !== undefined && !f.minus) {
    prec = f.wid - (neg || f.plus || f.space ? 1 : 0);
  }
  let s = (neg ? -v : v).toString(base);
  if (verb === 'X') s = s.toUpperCase();
  if (prec !== undefined && s.length < prec) s = '0'.repeat(prec - s.length) + s;
  if (verb === 'O') s = `0o${s}`;
  else if (f.sharp) {
    if (base === 2) s = `0b${s}`;
    else if (base === 8 && s[0] !== '0') s = `0${s}`;
    else if (base === 16) s = `0${verb}${s}`;
  }
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  return pad(sign + s, f, false);
}

function fmtChar(v: bigint, verb: string, f: Flags): string {
  const cp = Number(v);
  const valid = v >= 0n && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
  if (verb === 'c') return pad(String.fromCodePoint(valid ? cp : 0xfffd), f);
  if (verb === 'q') return pad(quoteRune(valid ? cp : 0xfffd, f.plus), f);
  let s = `U+${(v < 0n ? -v : v).toString(16).toUpperCase().padStart(4, '0')}`;
  if (f.sharp && valid) s += ` '${String.fromCodePoint(cp)}'`;
  return pad(s, f);
}

function fmtFloat(x: number, verb: string, f: Flags): string {
  if (Number.isNaN(x)) return pad(f.plus ? '+NaN' : f.space ? ' NaN' : 'NaN', f, false);
  if (!Number.isFinite(x)) return pad(x > 0 ? (f.space && !f.plus ? ' Inf' : '+Inf') : '-Inf', f, false);
  const fv = (verb === 'v' ? 'g' : verb) as FloatVerb;
  const body = formatAbsFloat(Math.abs(x), fv, f.prec ?? (fv === 'g' || fv === 'G' ? -1 : 6));
  const sign = x < 0 || Object.is(x, -0) ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  if (f.zero && !f.minus && f.wid !== undefined && f.wid > sign.length + body.length) {
    return sign + '0'.repeat(f.wid - sign.length - body.length) + body;
  }
  return pad(sign + body, f, false);
}

function fmtString(s: string, verb: string, f: Flags): string {
  if (f.prec !== undefined && verb !== 'x' && verb !== 'X') s = [...s].slice(0, f.prec).join('');
  switch (verb) {
    case 'v':
    case 's':
      return pad(s, f);
    case 'q':
      return pad(f.sharp && canBackquote(s) ? `\`${s}\`` : quote(s, f.plus), f);
    case 'x':
    case 'X': {
      let bytes = [...Buffer.from(s, 'utf8')];
      if (f.prec !== undefined) bytes = bytes.slice(0, f.prec);
      const hex = bytes.map((b) => {
        const h = b.toString(16).padStart(2, '0');
        return verb === 'X' ? h.toUpperCase() : h;
      });
      const prefix = verb === 'X' ? '0X' : '0x';
      const out = f.space
        ? hex.map((h) => (f.sharp ? prefix + h : h)).join(' ')
        : (f.sharp && hex.length > 0 ? prefix : '') + hex.join('');
      return pad(out, f);
    }
  }
  return badVerb(verb, s, f);
}

/** Go's time.Time String(), in UTC. */
function formatDate(d: Date): string {
  const iso = d.toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`;
}

/** Error(), String() or a custom toString(): what Go's fmt calls for an error or Stringer. */
function stringMethod(v: object): string | undefined {
  if (v instanceof Error) return v.message;
  if (v instanceof Date) return formatDate(v);
  const s = (v as { String?: unknown }).String;
  if (typeof s === 'function') return String(s.call(v));
  if (v.toString !== Object.prototype.toString && typeof v.toString === 'function') return String(v.toString());
  return undefined;
}

const INT_VERBS = 'vdboOxXcqU';
const FLOAT_VERBS = 'eEfFgG';

/** Formats one operand. */
export function formatArg(arg: unknown, verb: string, f: Flags): string {
  if (isNil(arg)) return verb === 'v' || verb === 'T' ? pad('<nil>', f) : badVerb(verb, arg, f);
  if (verb === 'T') return pad(typeName(arg), f);
  switch (kindOf(arg)) {
    case 'bool':
      return verb === 'v' || verb === 't' ? pad(String(arg), f) : badVerb(verb, arg, f);
    case 'int': {
      // A JS number does not say whether Go would have an int or a float64: float verbs format it as a float.
      // Integral numbers past Go's int range print as the float64 they must have been.
      if (typeof arg === 'number' && (FLOAT_VERBS.includes(verb) || (verb === 'v' && Math.abs(arg) >= 1e21))) {
        return fmtFloat(arg, verb, f);
      }
      if (!INT_VERBS.includes(verb)) return badVerb(verb, arg, f);
      const v = BigInt(arg as number | bigint);
      if (verb === 'c' || verb === 'q' || verb === 'U') return fmtChar(v, verb, f);
      return fmtInteger(v, verb, f);
    }
    case 'float':
      return verb === 'v' || FLOAT_VERBS.includes(verb) ? fmtFloat(arg as number, verb, f) : badVerb(verb, arg, f);
    case 'string':
      return fmtString(arg as string, verb, f);
    case 'slice': {
      const items = arg instanceof Set ? [...arg] : (arg as unknown[]);
      return `[${items.map((e) => formatArg(e, verb, f)).join(' ')}]`;
    }
    case 'map': {
      const parts = sortedEntries(arg as object).map(([k, v]) => `${formatArg(k, verb, f)}:${formatArg(v, verb, f)}`);
      return `map[${parts.join(' ')}]`;
    }
    case 'func':
      return verb === 'v' || verb === 'p' ? pad('<func>', f) : badVerb(verb, arg, f);
    default: {
      const s = 'vsqxX'.includes(verb) ? stringMethod(arg as object) : undefined;
      if (s !== undefined) return fmtString(s, verb, f);
      if (typeof arg === 'symbol') return pad(String(arg), f);
      return `{${Object.values(arg as object).map((e) => formatArg(e, verb, f)).join(' ')}}`;
    }
  }
}
