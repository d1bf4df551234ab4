/**
 * toYAML: the block YAML gopkg.in/yaml.v2 writes for JSON-like data. Maps are sorted by
 * key, struct fields lowercased, lists under a key are not indented, strings that would
 * read back as another type are double-quoted, other strings that cannot be plain are
 * single-quoted, multi-line strings use literal blocks.
 */
import { withSignature, type TemplateFunc } from '../engine/index.js';
import { type Plain, PlainObject, toPlain } from './plain.js';

// yaml.v2 resolves these plain scalars to booleans or null (YAML 1.1).
const RESERVED = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|)$/;
const NUMBER = /^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$|^0x[0-9a-fA-F_]+$|^0b[01_]+$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$|^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function scalarString(s: string): string {
  if (RESERVED.test(s) || NUMBER.test(s)) return JSON.stringify(s);
  if (/[\x00-\x08\x0b-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s)) return JSON.stringify(s);
  const plain =
    !/^[-?:,[\]{}#&*!|>'"%@`\s]/.test(s) &&
    !/\s$/.test(s) &&
    !/: |:$| #|\t/.test(s) &&
    !(s.startsWith('- ') || s === '-');
  if (plain) return s;
  return `'${s.replace(/'/g, "''")}'`;
}

function literalBlock(s: string, indent: string): string {
  const chomp = s.endsWith('\n\n') ? '+' : s.endsWith('\n') ? '' : '-';
  const body = (chomp === '-' ? s : s.replace(/\n$/, '')).split('\n');
  return `|${chomp}\n` + body.map((l) => (l === '' ? '' : indent + l)).join('\n');
}

function scalar(v: Plain, indent: string): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '+.inf' : '-.inf';
    return String(v);
  }
  const s = v as string;
  return s.includes('\n') && !/[\x00-\x08\x0b-\x1f]/.test(s) ? literalBlock(s, indent + '  ') : scalarString(s);
}

const isEmptyCollection = (v: Plain) => (Array.isArray(v) && v.length === 0) || (v instanceof PlainObject && v.entries.length === 0);
const isCollection = (v: Plain) => Array.isArray(v) || v instanceof PlainObject;

/** Lines of `v` as a block at `indent`. */
function block(v: Plain, indent: string): string[] {
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      if (isCollection(item) && !isEmptyCollection(item)) {
        const [first, ...rest] = block(item, indent + '  ');
        return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
      }
      return [`${indent}- ${inline(item, indent)}`];
    });
  }
  const obj = v as PlainObject;
  const entries = obj.struct ? obj.entries.map(([k, x]): [string, Plain] => [k.toLowerCase(), x]) : obj.entries;
  return entries.flatMap(([k, x]) => {
    const key = scalarString(k);
    if (x instanceof PlainObject && x.entries.length > 0) return [`${indent}${key}:`, ...block(x, indent + '  ')];
    if (Array.isArray(x) && x.length > 0) return [`${indent}${key}:`, ...block(x, indent)];
    return [`${indent}${key}: ${inline(x, indent)}`];
  });
}

function inline(v: Plain, indent: string): string {
  if (Array.isArray(v)) return '[]';
  if (v instanceof PlainObject) return '{}';
  return scalar(v, indent);
}

export function toYaml(v: unknown): string {
  const p = toPlain(v, 'toYAML');
  const text = isCollection(p) && !isEmptyCollection(p) ? block(p, '').join('\n') : inline(p, '');
  return text.trim();
}

export const yamlFunctions: Record<string, TemplateFunc> = {
  toYAML: withSignature(toYaml, { args: 1 }),
};
