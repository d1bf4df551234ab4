/** toJSON and friends: Go's encoding/json output (HTML characters escaped unless "Unescaped"). */
import { withSignature, type TemplateFunc } from '../engine/index.js';
import { type Plain, PlainObject, toPlain } from './plain.js';

function encodeString(s: string, escapeHtml: boolean): string {
  let out = JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  if (escapeHtml) out = out.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return out;
}

export function encodeJson(v: Plain, indent: string, escapeHtml: boolean, level = 0): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return encodeString(v, escapeHtml);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  const items: string[] = Array.isArray(v)
    ? v.map((x) => encodeJson(x, indent, escapeHtml, level + 1))
    : (v as PlainObject).entries.map(([k, x]) => `${encodeString(k, escapeHtml)}:${indent ? ' ' : ''}${encodeJson(x, indent, escapeHtml, level + 1)}`);
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return open + close;
  if (!indent) return open + items.join(',') + close;
  const pad = '\n' + indent.repeat(level + 1);
  return open + pad + items.join(',' + pad) + '\n' + indent.repeat(level) + close;
}

const encoder = (fn: string, indent: string, escapeHtml: boolean): TemplateFunc =>
  withSignature((v: unknown) => encodeJson(toPlain(v, fn), indent, escapeHtml), { args: 1 });

export const jsonFunctions: Record<string, TemplateFunc> = {
  toJSON: encoder('toJSON', '', true),
  toJSONPretty: encoder('toJSONPretty', '  ', true),
  toUnescapedJSON: encoder('toUnescapedJSON', '', false),
  toUnescapedJSONPretty: encoder('toUnescapedJSONPretty', '  ', false),
};
