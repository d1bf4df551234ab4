import { isIP } from 'node:net';

/**
 * Splits "host:port" / "[v6]:port" the way Go's net.SplitHostPort does, returning Go's error text
 * so a bad address in a check reads as it would under Consul.
 */
export function splitHostPort(addr: string): { host: string; port: number } | { error: string } {
  const bad = (why: string) => ({ error: `address ${addr}: ${why}` });
  let host: string;
  let rest: string;
  if (addr.startsWith('[')) {
    const end = addr.indexOf(']');
    if (end < 0) return bad("missing ']' in address");
    host = addr.slice(1, end);
    rest = addr.slice(end + 1);
    if (!rest.startsWith(':')) return bad('missing port in address');
    rest = rest.slice(1);
  } else {
    const colon = addr.lastIndexOf(':');
    if (colon < 0) return bad('missing port in address');
    host = addr.slice(0, colon);
    if (host.includes(':')) return bad('too many colons in address');
    rest = addr.slice(colon + 1);
  }
  if (!/^\d+$/.test(rest) || Number(rest) > 65535) return { error: `address ${rest}: invalid port` };
  return { host: host === '' ? 'localhost' : host, port: Number(rest) };
}

/** TLS server name for SNI: an explicit name wins; IP literals send none (RFC 6066 forbids them). */
export function sniName(host: string, explicit?: string): string {
  if (explicit) return explicit;
  return isIP(host) ? '' : host;
}
