/** consul-template's string helpers. Argument order favours pipes: the string comes last. */
import { withSignature, type TemplateFunc } from '../engine/index.js';

const s1 = { args: 1, stringArgs: [0] } as const;
const s2 = { args: 2, stringArgs: [0, 1] } as const;
const s3 = { args: 3, stringArgs: [0, 1, 2] } as const;

/** Go's strings.Split: an empty separator splits into characters. */
function goSplit(s: string, sep: string): string[] {
  return sep === '' ? [...s] : s.split(sep);
}

/** Go's strings.Trim: drops leading and trailing characters found in `cutset`. */
function trimCutset(s: string, cutset: string): string {
  const set = new Set(cutset);
  const chars = [...s];
  let start = 0;
  let end = chars.length;
  while (start < end && set.has(chars[start])) start++;
  while (end > start && set.has(chars[end - 1])) end--;
  return chars.slice(start, end).join('');
}

/** golang.org/x/text cases.Title with NoLower: the first letter of each word up, the rest untouched. */
export function toTitle(s: string): string {
  return s.replace(/(^|[^\p{L}\p{N}_'’])(\p{Ll}|\p{Lt})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/** Go's strings.Join over a []string: anything that is not a string is a type error, as in Go. */
function join(sep: string, list: unknown): string {
  if (list === null || list === undefined) return '';
  if (!Array.isArray(list)) throw new Error(`wrong type for value; expected []string; got ${typeof list}`);
  for (const item of list) if (typeof item !== 'string') throw new Error(`wrong type for value; expected []string; got []${typeof item}`);
  return (list as string[]).join(sep);
}

export const stringFunctions: Record<string, TemplateFunc> = {
  toLower: withSignature((s) => (s as string).toLowerCase(), s1),
  toUpper: withSignature((s) => (s as string).toUpperCase(), s1),
  toTitle: withSignature((s) => toTitle(s as string), s1),
  trimSpace: withSignature((s) => (s as string).trim(), s1),
  trim: withSignature((cutset, s) => trimCutset(s as string, cutset as string), s2),
  trimPrefix: withSignature((p, s) => ((s as string).startsWith(p as string) ? (s as string).slice((p as string).length) : s), s2),
  trimSuffix: withSignature((x, s) => ((s as string).endsWith(x as string) && (x as string) !== '' ? (s as string).slice(0, -(x as string).length) : s), s2),
  replaceAll: withSignature((from, to, s) => (s as string).replaceAll(from as string, to as string), s3),
  split: withSignature((sep, s) => {
    const t = (s as string).trim();
    return t === '' ? [] : goSplit(t, sep as string);
  }, s2),
  splitToMap: withSignature((sep1, sep2, s) => {
    const out = Object.create(null) as Record<string, string>;
    const t = (s as string).trim();
    if (t === '') return out;
    for (const item of goSplit(t, sep1 as string)) {
      const at = (item as string).indexOf(sep2 as string);
      if (at < 0) continue;
      out[item.slice(0, at)] = item.slice(at + (sep2 as string).length);
    }
    return out;
  }, s3),
  join: withSignature((sep, list) => join(sep as string, list), { args: 2, stringArgs: [0] }),
  indent: withSignature((spaces, s) => {
    if (typeof spaces !== 'number' || !Number.isInteger(spaces)) throw new Error('wrong type for value; expected int');
    if (spaces < 0) throw new Error('indent value must be a positive integer');
    const prefix = ' '.repeat(spaces);
    return (s as string).replace(/^(?=[^\n])/gm, prefix);
  }, { args: 2, stringArgs: [1] }),
};
