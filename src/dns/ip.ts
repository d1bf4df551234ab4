/** IP address text forms the DNS interface uses: reverse names, `.addr.` hex labels, canonical text. */
import { isIP } from 'node:net';

const families = new Map<string, 0 | 4 | 6>();
const MAX_REMEMBERED = 10_000;

/**
 * 4, 6, or 0 for a host name. Answers ask this several times per instance per question, for
 * the same few addresses, so the answer is remembered.
 */
export function ipFamily(address: string): 0 | 4 | 6 {
  let f = families.get(address);
  if (f === undefined) {
    f = isIP(address) as 0 | 4 | 6;
    if (families.size >= MAX_REMEMBERED) families.clear();
    families.set(address, f);
  }
  return f;
}

/** The IP a reverse name encodes (`4.3.2.1.in-addr.arpa.`, nibbles `.ip6.arpa.`), or null. */
export function ipFromArpa(name: string): string | null {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.length === 6 && labels[4] === 'in-addr' && labels[5] === 'arpa') {
    const octets = labels.slice(0, 4).reverse();
    if (!octets.every((o) => /^(0|[1-9]\d{0,2})$/.test(o) && Number(o) <= 255)) return null;
    return octets.join('.');
  }
  if (labels.length === 34 && labels[32] === 'ip6' && labels[33] === 'arpa') {
    const nibbles = labels.slice(0, 32).reverse();
    if (!nibbles.every((x) => /^[0-9a-f]$/.test(x))) return null;
    return hexToIp(nibbles.join(''));
  }
  return null;
}

/** The reverse name of an IP address. */
export function arpaName(ip: string): string | null {
  const hex = ipToHex(ip);
  if (hex === null) return null;
  if (hex.length === 8) return `${hexToIp(hex)!.split('.').reverse().join('.')}.in-addr.arpa.`;
  return `${[...hex].reverse().join('.')}.ip6.arpa.`;
}

/** 8 hex digits for IPv4, 32 for IPv6, as `.addr.` names carry them. */
export function hexToIp(hex: string): string | null {
  if (!/^[0-9a-f]*$/i.test(hex)) return null;
  if (hex.length === 8) return [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
  if (hex.length === 32) return compressIpv6(hex.toLowerCase());
  return null;
}

export function ipToHex(ip: string): string | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    return octets.every((o) => o <= 255) ? octets.map((o) => o.toString(16).padStart(2, '0')).join('') : null;
  }
  const groups = expandIpv6(ip);
  return groups ? groups.map((g) => g.padStart(4, '0')).join('') : null;
}

/** The canonical text of an IP address (so `2001:DB8:0::1` matches `2001:db8::1`), or null. */
export function canonicalIp(ip: string): string | null {
  const hex = ipToHex(ip);
  return hex === null ? null : hexToIp(hex);
}

function expandIpv6(ip: string): string[] | null {
  if (!ip.includes(':')) return null;
  let text = ip.toLowerCase();
  const tail4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail4) {
    const hex = ipToHex(tail4[1]);
    if (!hex) return null;
    text = text.slice(0, -tail4[1].length) + `${hex.slice(0, 4)}:${hex.slice(4)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(Math.max(fill, 0)).fill('0'), ...tail];
  return groups.length === 8 && groups.every((g) => /^[0-9a-f]{1,4}$/.test(g)) ? groups : null;
}

/** RFC 5952 text form of 32 hex digits. IPv4-mapped addresses print as Go prints them (dotted). */
function compressIpv6(hex: string): string {
  if (hex.startsWith('00000000000000000000ffff')) return hexToIp(hex.slice(24))!;
  const groups = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => parseInt(hex.slice(i * 4, i * 4 + 4), 16).toString(16));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
