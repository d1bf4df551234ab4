import { WeftError } from './errors.js';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a Go duration string ("1h15m30.5s", "300ms", "-2s") into milliseconds.
 * A bare number is accepted as Go's encoding of nanoseconds only when `bareNumberUnit` says so,
 * because Consul's JSON accepts both `"15s"` and `15000000000` for some fields.
 */
export function parseDuration(input: string | number, bareNumberUnit: 'ns' | 's' | 'ms' | null = null): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new WeftError('BAD_REQUEST', `invalid duration ${input}`);
    return bareNumberUnit === null ? input / 1e6 : input * UNIT_MS[bareNumberUnit];
  }
  const s = input.trim();
  if (s === '0') return 0;
  if (/^-?\d+(\.\d+)?$/.test(s) && bareNumberUnit !== null) return Number(s) * UNIT_MS[bareNumberUnit];
  let i = 0;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (i >= s.length) throw new WeftError('BAD_REQUEST', `time: invalid duration "${input}"`);
  let total = 0;
  while (i < s.length) {
    PART.lastIndex = i;
    const m = PART.exec(s);
    if (!m) {
      const missingUnit = /^\d+(\.\d*)?$/.test(s.slice(i));
      throw new WeftError(
        'BAD_REQUEST',
        missingUnit ? `time: missing unit in duration "${input}"` : `time: invalid duration "${input}"`,
      );
    }
    total += Number(m[1]) * UNIT_MS[m[2]];
    i = PART.lastIndex;
  }
  return sign * total;
}

/** Formats milliseconds the way Go's time.Duration.String() does ("1m30s", "500ms", "0s"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  let out: string;
  if (rest < 1000) {
    out = rest >= 1 ? `${trim(rest)}ms` : rest >= 1e-3 ? `${trim(rest * 1e3)}µs` : `${Math.round(rest * 1e6)}ns`;
  } else {
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const sec = trim(rest / 1000);
    out = (h ? `${h}h` : '') + (h || m ? `${m}m` : '') + `${sec}s`;
  }
  return neg ? `-${out}` : out;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
