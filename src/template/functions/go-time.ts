/**
 * Go's time.Format for UTC times: `timestamp "2006-01-02T15:04:05Z07:00"` lays a time
 * out by example of Go's reference time, Mon Jan 2 15:04:05 MST 2006.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, w: number, c = '0') => String(n).padStart(w, c);

type Token = (t: Date) => string;

const isDigit = (s: string, i: number) => i < s.length && s[i] >= '0' && s[i] <= '9';

function yearDay(t: Date): number {
  return Math.floor((Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()) - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

const hour12 = (t: Date) => t.getUTCHours() % 12 || 12;

/** Nanoseconds are milliseconds here; `.000000` pads, `.999` trims trailing zeros. */
function fraction(t: Date, digits: number, trim: boolean): string {
  const frac = pad(t.getUTCMilliseconds(), 3).padEnd(9, '0').slice(0, digits);
  if (!trim) return frac;
  const trimmed = frac.replace(/0+$/, '');
  return trimmed;
}

/** The longest layout element starting at `i`, as Go's nextStdChunk recognizes it. */
function tokenAt(layout: string, i: number): [Token, number] | null {
  const rest = layout.slice(i);
  const starts = (p: string) => rest.startsWith(p);
  switch (layout[i]) {
    case 'J':
      if (starts('January')) return [(t) => MONTHS[t.getUTCMonth()], 7];
      if (starts('Jan')) return [(t) => MONTHS[t.getUTCMonth()].slice(0, 3), 3];
      break;
    case 'M':
      if (starts('Monday')) return [(t) => DAYS[t.getUTCDay()], 6];
      if (starts('Mon')) return [(t) => DAYS[t.getUTCDay()].slice(0, 3), 3];
      if (starts('MST')) return [() => 'UTC', 3];
      break;
    case '0': {
      const next = layout[i + 1];
      const zero: Record<string, Token> = {
        '1': (t) => pad(t.getUTCMonth() + 1, 2),
        '2': (t) => pad(t.getUTCDate(), 2),
        '3': (t) => pad(hour12(t), 2),
        '4': (t) => pad(t.getUTCMinutes(), 2),
        '5': (t) => pad(t.getUTCSeconds(), 2),
        '6': (t) => pad(t.getUTCFullYear() % 100, 2),
      };
      if (next && zero[next]) return [zero[next], 2];
      if (starts('002')) return [(t) => pad(yearDay(t), 3), 3];
      break;
    }
    case '1':
      if (starts('15')) return [(t) => pad(t.getUTCHours(), 2), 2];
      return [(t) => String(t.getUTCMonth() + 1), 1];
    case '2':
      if (starts('2006')) return [(t) => pad(t.getUTCFullYear(), 4), 4];
      return [(t) => String(t.getUTCDate()), 1];
    case '_':
      if (starts('_2006')) return [(t) => `_${pad(t.getUTCFullYear(), 4)}`, 5];
      if (starts('__2')) return [(t) => pad(yearDay(t), 3, ' '), 3];
      if (starts('_2')) return [(t) => pad(t.getUTCDate(), 2, ' '), 2];
      break;
    case '3': return [(t) => String(hour12(t)), 1];
    case '4': return [(t) => String(t.getUTCMinutes()), 1];
    case '5': return [(t) => String(t.getUTCSeconds()), 1];
    case 'P':
      if (starts('PM')) return [(t) => (t.getUTCHours() >= 12 ? 'PM' : 'AM'), 2];
      break;
    case 'p':
      if (starts('pm')) return [(t) => (t.getUTCHours() >= 12 ? 'pm' : 'am'), 2];
      break;
    case '-':
      for (const [p, out] of [['-070000', '+000000'], ['-07:00:00', '+00:00:00'], ['-0700', '+0000'], ['-07:00', '+00:00'], ['-07', '+00']]) {
        if (starts(p)) return [() => out, p.length];
      }
      break;
    case 'Z':
      for (const p of ['Z070000', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07']) if (starts(p)) return [() => 'Z', p.length];
      break;
    case '.':
    case ',': {
      const ch = layout[i + 1];
      if (ch === '0' || ch === '9') {
        let j = i + 1;
        while (layout[j] === ch) j++;
        if (!isDigit(layout, j)) {
          const sep = layout[i];
          const digits = j - i - 1;
          return [
            (t) => {
              const f = fraction(t, digits, ch === '9');
              return f ? sep + f : '';
            },
            j - i,
          ];
        }
      }
      break;
    }
  }
  return null;
}

export function formatGoTime(t: Date, layout: string): string {
  let out = '';
  let i = 0;
  while (i < layout.length) {
    const tok = tokenAt(layout, i);
    if (tok) {
      out += tok[0](t);
      i += tok[1];
    } else {
      out += layout[i];
      i += 1;
    }
  }
  return out;
}

/** RFC 3339 as Go's time.RFC3339 layout prints a UTC time. */
export const RFC3339 = '2006-01-02T15:04:05Z07:00';

/** `timestamp`, `timestamp "unix"`, `timestamp "<layout>"`; `now` is injectable for tests. */
export function timestampFunction(now: () => Date = () => new Date()): (...args: unknown[]) => string {
  return (...args: unknown[]) => {
    if (args.length > 1) throw new Error(`timestamp: wrong number of arguments, expected 0 or 1, but got ${args.length}`);
    const t = now();
    if (args.length === 0) return formatGoTime(t, RFC3339);
    if (typeof args[0] !== 'string') throw new Error('timestamp: wrong type for value; expected string');
    if (args[0] === 'unix') return String(Math.floor(t.getTime() / 1000));
    return formatGoTime(t, args[0]);
  };
}
