/**
 * regexMatch and regexReplaceAll take Go (RE2) patterns and Go replacement templates.
 * The common RE2 spellings are translated to JavaScript: `(?P<name>` groups, leading
 * `(?i)`/`(?s)`/`(?m)` flags, `\A` and `\z`; `$1`, `${1}` and `${name}` in replacements
 * expand as Go's Regexp.Expand does.
 */
import { withSignature, type TemplateFunc } from '../engine/index.js';

const cache = new Map<string, RegExp>();

export function goRegExp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return new RegExp(hit);
  let src = pattern;
  let flags = 'gu';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    src = src.slice(lead[0].length);
    for (const f of lead[1]) if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  src = src.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$(?![\\s\\S])');
  let re: RegExp;
  try {
    re = new RegExp(src, flags);
  } catch {
    // Unicode mode refuses escapes RE2 allows (`\-`, `\/` outside a class): retry without it.
    try {
      re = new RegExp(src, flags.replace('u', ''));
    } catch (err) {
      throw new Error(`error parsing regexp: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
    }
  }
  cache.set(pattern, re);
  return new RegExp(re);
}

/** Go's Regexp.Expand: `$name` takes the longest run of word characters; unknown groups are empty. */
function expand(template: string, groups: (string | undefined)[], named: Record<string, string | undefined> | undefined): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (whole, _all: string, braced?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare!;
    if (/^\d+$/.test(name)) return groups[Number(name)] ?? '';
    return named?.[name] ?? '';
  });
}

export const regexFunctions: Record<string, TemplateFunc> = {
  regexMatch: withSignature((re, s) => {
    const r = goRegExp(re as string);
    return r.test(s as string);
  }, { args: 2, stringArgs: [0, 1] }),
  regexReplaceAll: withSignature((re, repl, s) => {
    const r = goRegExp(re as string);
    return (s as string).replace(r, (...m: unknown[]) => {
      const hasNamed = typeof m[m.length - 1] === 'object';
      const named = hasNamed ? (m[m.length - 1] as Record<string, string | undefined>) : undefined;
      const groups = m.slice(0, hasNamed ? -3 : -2) as (string | undefined)[];
      return expand(repl as string, groups, named);
    });
  }, { args: 3, stringArgs: [0, 1, 2] }),
};
