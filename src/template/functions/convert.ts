/** Parsing strings into values (Go's strconv rules), base64 and digests. */
import { createHash, createHmac } from 'node:crypto';
import { withSignature, type TemplateFunc } from '../engine/index.js';

const s1 = { args: 1, stringArgs: [0] } as const;
/** Go's strconv errors, wrapped with the template function's name as consul-template wraps them. */
const GO_NAMES: Record<string, string> = { parseBool: 'ParseBool', parseInt: 'ParseInt', parseUint: 'ParseUint', parseFloat: 'ParseFloat' };
const syntax = (fn: string, s: string) => new Error(`${fn}: strconv.${GO_NAMES[fn]}: parsing "${s}": invalid syntax`);
const range = (fn: string, s: string) => new Error(`${fn}: strconv.${GO_NAMES[fn]}: parsing "${s}": value out of range`);

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function parseBool(s: string): boolean {
  if (s === '') return false;
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw syntax('parseBool', s);
}

/** Base-10 int64, as strconv.ParseInt(s, 10, 64); beyond 2^53 the result is a bigint so it stays exact. */
export function parseInt64(s: string): number | bigint {
  if (s === '') return 0;
  if (!/^[+-]?\d+$/.test(s)) throw syntax('parseInt', s);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) throw range('parseInt', s);
  return Number.isSafeInteger(Number(n)) ? Number(n) : n;
}

export function parseUint64(s: string): number | bigint {
  if (s === '') return 0;
  if (!/^\+?\d+$/.test(s)) throw syntax('parseUint', s);
  const n = BigInt(s);
  if (n > 18446744073709551615n) throw range('parseUint', s);
  return Number.isSafeInteger(Number(n)) ? Number(n) : n;
}

export function parseFloat64(s: string): number {
  if (s === '') return 0;
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (!/^[+-]?(\d[\d_]*\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw syntax('parseFloat', s);
  return Number(s.replaceAll('_', ''));
}

/** encoding/base64 with padding required; the message names the offending byte, as Go's does. */
function base64Decode(s: string, url: boolean, fn: string): string {
  const valid = url ? /[A-Za-z0-9\-_=]/ : /[A-Za-z0-9+/=]/;
  const fail = (at: number) => new Error(`${fn}: illegal base64 data at input byte ${at}`);
  for (let i = 0; i < s.length; i++) if (!valid.test(s[i])) throw fail(i);
  const pad = s.indexOf('=');
  if (pad < 0) {
    if (s.length % 4 !== 0) throw fail(s.length - (s.length % 4));
  } else {
    const padLen = s.length - pad;
    if (!/^=+$/.test(s.slice(pad)) || s.length % 4 !== 0 || pad % 4 < 2 || padLen !== 4 - (pad % 4)) throw fail(pad);
  }
  return Buffer.from(s, url ? 'base64url' : 'base64').toString('utf8');
}

export const convertFunctions: Record<string, TemplateFunc> = {
  parseBool: withSignature((s) => parseBool(s as string), s1),
  parseInt: withSignature((s) => parseInt64(s as string), s1),
  parseUint: withSignature((s) => parseUint64(s as string), s1),
  parseFloat: withSignature((s) => parseFloat64(s as string), s1),
  parseJSON: withSignature((s) => ((s as string) === '' ? Object.create(null) : JSON.parse(s as string)), s1),
  base64Encode: withSignature((s) => Buffer.from(s as string, 'utf8').toString('base64'), s1),
  base64Decode: withSignature((s) => base64Decode(s as string, false, 'base64Decode'), s1),
  base64URLEncode: withSignature((s) => Buffer.from(s as string, 'utf8').toString('base64url').padEnd(Math.ceil(Buffer.byteLength(s as string) / 3) * 4, '='), s1),
  base64URLDecode: withSignature((s) => base64Decode(s as string, true, 'base64URLDecode'), s1),
  sha256Hex: withSignature((s) => createHash('sha256').update(s as string).digest('hex'), s1),
  md5sum: withSignature((s) => createHash('md5').update(s as string).digest('hex'), s1),
  hmacSHA256Hex: withSignature((msg, key) => createHmac('sha256', key as string).update(msg as string).digest('hex'), { args: 2, stringArgs: [0, 1] }),
};
