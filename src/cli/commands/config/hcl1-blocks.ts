/**
 * Consul reads config entries with HCL 1, which allows block syntax inside object values:
 *
 *     routes = [
 *       {
 *         match { http { path_prefix = "/admin" } }
 *         destination { service = "admin" }
 *       },
 *     ]
 *
 * HCL 2 (what @cdktf/hcl2json parses) only allows blocks in a body, so inside an object or
 * list `match {` must be `match = {`. This rewrites exactly that and leaves everything else,
 * comments, strings and heredocs included, as written, so files from Consul's docs parse.
 */

type Context = 'body' | 'object' | 'tuple' | 'paren';
type TokenKind = 'ident' | 'string' | 'number' | 'punct';

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_-]/;

export function hcl1ToHcl2(text: string): string {
  const stack: Context[] = ['body'];
  // The last two significant tokens, to tell `key {` (a block) from `key = {` (a value).
  let prev: { kind: TokenKind; value: string } | null = null;
  let prev2: { kind: TokenKind; value: string } | null = null;
  const token = (kind: TokenKind, value: string) => {
    prev2 = prev;
    prev = { kind, value };
  };
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      token('string', text.slice(i + 1, j));
      i = j + 1;
    } else if (c === '<' && text[i + 1] === '<') {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[^\n]*\n/.exec(text.slice(i));
      if (!m) {
        out += c;
        i++;
        continue;
      }
      const close = new RegExp(`\\n[ \\t]*${m[1]}[ \\t]*(?=\\n|$)`).exec(text.slice(i + m[0].length - 1));
      const stop = close ? i + m[0].length - 1 + close.index + close[0].length : text.length;
      out += text.slice(i, stop);
      token('string', '');
      i = stop;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENT_PART.test(text[j])) j++;
      out += text.slice(i, j);
      token('ident', text.slice(i, j));
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j])) j++;
      out += text.slice(i, j);
      token('number', text.slice(i, j));
      i = j;
    } else if (c === '{') {
      const ctx = stack[stack.length - 1];
      const p = prev as { kind: TokenKind; value: string } | null;
      const p2 = prev2 as { kind: TokenKind; value: string } | null;
      const labelled = p !== null && (p.kind === 'ident' || p.kind === 'string');
      if (ctx === 'body') {
        stack.push(labelled ? 'body' : 'object');
      } else {
        if (labelled && p2?.value !== '=' && p2?.value !== ':') out += '= ';
        stack.push('object');
      }
      out += c;
      token('punct', c);
      i++;
    } else {
      if (c === '[') stack.push('tuple');
      else if (c === '(') stack.push('paren');
      else if ((c === '}' || c === ']' || c === ')') && stack.length > 1) stack.pop();
      out += c;
      if (!/\s/.test(c)) token('punct', c);
      i++;
    }
  }
  return out;
}
