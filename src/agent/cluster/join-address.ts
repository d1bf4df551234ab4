import { isIP } from 'node:net';
import { WeftError } from '../../lib/errors.js';

/**
 * A `-join`/`-retry-join` address as `host:port`: `10.0.0.1`, `10.0.0.1:8301`, `[::1]:8301`,
 * `::1` or a host name; the port defaults to the serf LAN port. Cloud auto-join
 * (`provider=aws ...`) is not supported and says so.
 */
export function joinAddress(address: string, defaultPort: number): string {
  const a = address.trim();
  if (a === '') throw new WeftError('BAD_REQUEST', 'empty join address');
  if (a.includes('provider=')) throw new WeftError('BAD_REQUEST', `cloud auto-join is not supported: ${a}`);
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(a);
  if (bracketed) return `[${bracketed[1]}]:${bracketed[2] ?? defaultPort}`;
  if (isIP(a) === 6) return `[${a}]:${defaultPort}`;
  const m = /^([^:]+)(?::(\d+))?$/.exec(a);
  if (!m) throw new WeftError('BAD_REQUEST', `invalid join address: ${a}`);
  const port = Number(m[2] ?? defaultPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new WeftError('BAD_REQUEST', `invalid port in join address: ${a}`);
  return `${m[1]}:${port}`;
}
