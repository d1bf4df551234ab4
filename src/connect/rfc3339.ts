/** A time as Go's JSON encoder writes it: RFC 3339, fractional seconds only when there are any. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}
