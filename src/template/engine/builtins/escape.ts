/** html, js and urlquery: Go's escapers over the fmt.Sprint text of their arguments. */
import { sprint } from '../fmt/index.js';

/** Go's evalArgs: one string is used as is; otherwise Sprint, with a missing value as "<no value>". */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined || a === null ? '<no value>' : a)));
}

const HTML: Record<string, string> = { '\0': '\ufffd', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function html(...args: unknown[]): string {
  return evalArgs(args).replace(/[\0"'&<>]/g, (c) => HTML[c]);
}

const JS: Record<string, string> = {
  '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D',
};
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

export function js(...args: unknown[]): string {
  let out = '';
  for (const ch of evalArgs(args)) {
    const cp = ch.codePointAt(0)!;
    if (ch in JS) out += JS[ch];
    else if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (cp < 0x80 || PRINTABLE.test(ch)) out += ch;
    else out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape. */
export function urlquery(...args: unknown[]): string {
  let out = '';
  for (const b of Buffer.from(evalArgs(args), 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
