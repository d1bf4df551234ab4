import type { Intention } from '../../../api/connect.js';

/** Consul's api.Intention.String(): `web => db (allow)`, the default namespace left out. */
export function intentionLine(i: Pick<Intention, 'SourceNS' | 'SourceName' | 'DestinationNS' | 'DestinationName' | 'Action'>): string {
  const part = (ns: string, n: string) => (ns && ns !== 'default' ? `${ns}/${n}` : n);
  return `${part(i.SourceNS, i.SourceName)} => ${part(i.DestinationNS, i.DestinationName)} (${i.Action ?? ''})`;
}

/** A SRC or DST argument: `name`, `namespace/name` or `partition/namespace/name`. */
export function parseTarget(input: string): { name: string; ns: string } {
  const parts = input.split('/');
  if (parts.length > 3) throw new Error("input can contain at most two '/'");
  return { name: parts[parts.length - 1], ns: parts.length >= 2 ? parts[parts.length - 2] : '' };
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC850 layout in UTC, as `consul intention get` prints Created At. */
export function rfc850(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}
