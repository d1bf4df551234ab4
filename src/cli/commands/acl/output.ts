import { flag } from '../../flags.js';

/** The `-format` and `-meta` flags every ACL command that prints a token, policy or role takes. */
export const outputFlags = {
  format: flag.enum('Output format {pretty|json}', ['pretty', 'json'] as const, 'pretty'),
  meta: flag.bool('Indicates that metadata such as the content hash and raft indices should be shown for each entry'),
};

/** Go's json.MarshalIndent(v, "", "    "). */
export const jsonOut = (v: unknown): string => `${JSON.stringify(v, null, 4)}\n`;

/** A time as Go's %v prints it: `2020-05-22 18:52:31.25 +0000 UTC`. */
export function goTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const [date, rest] = d.toISOString().split('T');
  const [clock, fraction] = rest.replace('Z', '').split('.');
  const frac = fraction?.replace(/0+$/, '');
  return `${date} ${clock}${frac ? `.${frac}` : ''} +0000 UTC`;
}

/** A []byte hash printed with %x. */
export const hexHash = (b64: string): string => Buffer.from(b64, 'base64').toString('hex');
