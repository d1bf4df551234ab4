/**
 * Go's fmt.Sprint, Sprintln and Sprintf over JS values: what the template
 * builtins print/println/printf produce and how actions print their value.
 */
import { type Flags, formatArg, noFlags } from './format-arg.js';

export { formatArg, noFlags } from './format-arg.js';

/** %v of one value: what an action writes. */
export function formatValue(v: unknown): string {
  return formatArg(v, 'v', noFlags());
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  let prevString = false;
  args.forEach((a, i) => {
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += formatValue(a);
    prevString = isString;
  });
  return out;
}

/** fmt.Sprintln: always spaces, then a newline. */
export function sprintln(args: readonly unknown[]): string {
  return `${args.map(formatValue).join(' ')}\n`;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** fmt.Sprintf, including Go's in-band error forms (%!d(MISSING), %!(EXTRA ...)). */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  let i = 0;
  const n = format.length;

  /** `[n]` explicit argument index; returns false when malformed. */
  const argIndex = (): boolean => {
    if (format[i] !== '[') return true;
    reordered = true;
    const close = format.indexOf(']', i);
    const idx = close === -1 ? NaN : Number(format.slice(i + 1, close));
    if (!Number.isInteger(idx) || idx < 1 || idx > args.length || close === i + 1) {
      i = close === -1 ? n : close + 1;
      return false;
    }
    argNum = idx - 1;
    i = close + 1;
    return true;
  };

  /** A number in the format or `*` taken from the arguments. */
  const intArg = (): { ok: boolean; value: number | undefined } => {
    if (format[i] === '*') {
      i++;
      const a = args[argNum++];
      if (typeof a === 'number' && Number.isInteger(a) && Math.abs(a) <= 1e6) return { ok: true, value: a };
      if (typeof a === 'bigint' && a >= -1000000n && a <= 1000000n) return { ok: true, value: Number(a) };
      return { ok: false, value: undefined };
    }
    if (!isDigit(format[i])) return { ok: true, value: undefined };
    let v = 0;
    while (isDigit(format[i])) v = v * 10 + Number(format[i++]);
    return { ok: v <= 1e6, value: v };
  };

  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct === -1) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f: Flags = noFlags();
    for (; i < n; i++) {
      const c = format[i];
      if (c === '#') f.sharp = true;
      else if (c === '0') f.zero = !f.minus;
      else if (c === '+') f.plus = true;
      else if (c === '-') {
        f.minus = true;
        f.zero = false;
      } else if (c === ' ') f.space = true;
      else break;
    }
    let goodIndex = argIndex();
    const wid = intArg();
    if (!wid.ok) out += '%!(BADWIDTH)';
    else if (wid.value !== undefined) {
      f.wid = Math.abs(wid.value);
      if (wid.value < 0) {
        f.minus = true;
        f.zero = false;
      }
    }
    if (format[i] === '.') {
      i++;
      goodIndex = goodIndex && argIndex();
      const prec = intArg();
      if (!prec.ok) out += '%!(BADPREC)';
      else f.prec = prec.value === undefined ? 0 : prec.value < 0 ? undefined : prec.value;
    }
    goodIndex = goodIndex && argIndex();
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    // For %v, Go reads + and # as "+v" and "#v" (struct field names, Go syntax), not as sign and prefix.
    if (verb === 'v') f.plus = f.sharp = false;
    if (verb === '%') out += '%';
    else if (!goodIndex) out += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) out += `%!${verb}(MISSING)`;
    else out += formatArg(args[argNum++], verb, f);
  }
  if (!reordered && argNum < args.length) {
    const extra = args.slice(argNum).map((a) => (a === undefined || a === null ? '<nil>' : `${formatArg(a, 'T', noFlags())}=${formatValue(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}
