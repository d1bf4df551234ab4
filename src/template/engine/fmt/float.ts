/**
 * Go's strconv float formatting for %e %f %g and %v: the shortest digits that
 * round-trip (what JS and Go both compute), or exact decimal digits rounded
 * half-to-even when a precision is given (JS's toFixed rounds differently).
 */

interface Digits {
  /** Significant digits, no leading or trailing zeros; "" for zero. */
  d: string;
  /** Decimal point position: value = 0.d × 10^dp. */
  dp: number;
}

function trimZeros(x: Digits): Digits {
  const d = x.d.replace(/0+$/, '');
  return { d, dp: d === '' ? 0 : x.dp };
}

function shortestDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const [mant, exp] = x.toExponential().split('e');
  return trimZeros({ d: mant.replace('.', ''), dp: Number(exp) + 1 });
}

/** The exact decimal expansion of a positive finite double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let exp = -1074;
  if (expBits !== 0) {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  if (exp >= 0) {
    const s = (mant << BigInt(exp)).toString();
    return trimZeros({ d: s, dp: s.length });
  }
  // mant / 2^k = mant·5^k / 10^k
  const s = (mant * 5n ** BigInt(-exp)).toString();
  return trimZeros({ d: s, dp: s.length + exp });
}

/** Rounds to n significant digits, ties to even on an exact half, like Go's decimal.Round. */
function round(x: Digits, n: number): Digits {
  if (n < 0 || n >= x.d.length) return x;
  const c = x.d[n];
  const up = c === '5' && n + 1 === x.d.length ? n > 0 && Number(x.d[n - 1]) % 2 === 1 : c >= '5';
  if (!up) return trimZeros({ d: x.d.slice(0, n), dp: x.dp });
  let i = n - 1;
  while (i >= 0 && x.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  return { d: x.d.slice(0, i) + String(Number(x.d[i]) + 1), dp: x.dp };
}

const digitAt = (x: Digits, i: number): string => (i >= 0 && i < x.d.length ? x.d[i] : '0');

function formatE(x: Digits, prec: number, e: 'e' | 'E'): string {
  let s = x.d === '' ? '0' : x.d[0];
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(x, i);
  }
  const exp = x.d === '' ? 0 : x.dp - 1;
  const abs = Math.abs(exp);
  return `${s}${e}${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
}

function formatF(x: Digits, prec: number): string {
  let s = '';
  if (x.dp > 0) for (let i = 0; i < x.dp; i++) s += digitAt(x, i);
  else s = '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(x, x.dp + i - 1);
  }
  return s;
}

export type FloatVerb = 'e' | 'E' | 'f' | 'F' | 'g' | 'G';

/**
 * strconv.FormatFloat(|x|, verb, prec, 64) without the sign; prec -1 = shortest.
 * Callers handle sign, Inf and NaN.
 */
export function formatAbsFloat(x: number, verb: FloatVerb, prec: number): string {
  const shortest = prec < 0;
  let digits: Digits;
  if (shortest) {
    digits = shortestDigits(x);
    if (verb === 'e' || verb === 'E') prec = Math.max(digits.d.length - 1, 0);
    else if (verb === 'f' || verb === 'F') prec = Math.max(digits.d.length - digits.dp, 0);
    else prec = digits.d.length;
  } else {
    const exact = exactDigits(x);
    if (verb === 'e' || verb === 'E') digits = round(exact, prec + 1);
    else if (verb === 'f' || verb === 'F') digits = round(exact, exact.dp + prec);
    else {
      if (prec === 0) prec = 1;
      digits = round(exact, prec);
    }
  }
  switch (verb) {
    case 'e':
    case 'E':
      return formatE(digits, prec, verb);
    case 'f':
    case 'F':
      return formatF(digits, prec);
  }
  let eprec = prec;
  if (eprec > digits.d.length && digits.d.length >= digits.dp) eprec = digits.d.length;
  if (shortest) eprec = 6;
  const exp = digits.dp - 1;
  if (exp < -4 || exp >= eprec) {
    return formatE(digits, Math.min(prec, digits.d.length) - 1, verb === 'g' ? 'e' : 'E');
  }
  if (prec > digits.dp) prec = digits.d.length;
  return formatF(digits, Math.max(prec - digits.dp, 0));
}
