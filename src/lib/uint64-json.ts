/**
 * Exact unsigned 64-bit integers in JSON. Consul's KV `Flags` are uint64 and its own lock
 * and semaphore helpers store values above 2^53 (0x2ddccbc058a50c18), which a JS number
 * would round, so a Consul client would no longer recognise its own lock. Such values are
 * kept as decimal strings in memory and written as bare digits on the wire.
 */
export type Uint64 = number | string;

const MAX = 2n ** 64n - 1n;

/** Parses a decimal uint64 (as Go's strconv.ParseUint base 10); undefined when it is not one. */
export function parseUint64(text: string): Uint64 | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const big = BigInt(text);
  if (big > MAX) return undefined;
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString();
}

/** Normalises a uint64 that arrived as a JSON number or digit string. */
export function toUint64(value: unknown): Uint64 | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string') return parseUint64(value);
  return undefined;
}

export function uint64Equal(a: Uint64, b: Uint64): boolean {
  return String(a) === String(b);
}

/**
 * JSON.parse that keeps the named integer fields exact: their values (matched by field name,
 * case-insensitively, as Go's decoder does) are read as digit strings when they exceed 2^53.
 */
export function parseJsonExact<T = unknown>(text: string, fields: readonly string[]): T {
  if (fields.length === 0) return JSON.parse(text) as T;
  const names = fields.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  // A key is a quote not preceded by a backslash; long digit runs become strings.
  const re = new RegExp(`((?<!\\\\)"(?:${names})"\\s*:\\s*)(\\d{16,})(?=\\s*[,}\\]])`, 'gi');
  return JSON.parse(text.replace(re, (_m, head: string, digits: string) => {
    const v = parseUint64(digits);
    return typeof v === 'string' ? `${head}"${v}"` : `${head}${digits}`;
  })) as T;
}

/**
 * JSON.stringify where string values of the named fields that hold big uint64 values are
 * written as bare numbers. A random marker keeps user data from ever being rewritten.
 */
export function stringifyExact(value: unknown, fields: readonly string[], indent?: number | string): string {
  const marker = `\u0001u64:${Math.random().toString(36).slice(2)}:`;
  const wanted = new Set(fields);
  const text = JSON.stringify(
    value,
    function (key, v) {
      if (wanted.has(key) && typeof v === 'string' && /^\d+$/.test(v)) return marker + v;
      return v;
    },
    indent,
  );
  const escaped = JSON.stringify(marker).slice(1, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`"${escaped}(\\d+)"`, 'g'), '$1');
}
