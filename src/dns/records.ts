import type { Answer } from 'dns-packet';
import { ipFamily, ipToHex } from './ip.js';

/** Resource records as the answers carry them: owner names are FQDNs with the trailing dot. */
export type Record = Answer;

export const CLASS_IN = 'IN' as const;

export function addressRecord(name: string, ip: string, ttl: number): Record {
  return { type: ipFamily(ip) === 4 ? 'A' : 'AAAA', name, ttl, class: CLASS_IN, data: ip };
}

export function srvRecord(name: string, target: string, port: number, weight: number, ttl: number): Record {
  return { type: 'SRV', name, ttl, class: CLASS_IN, data: { priority: 1, weight, port, target } };
}

export function cnameRecord(name: string, target: string, ttl: number): Record {
  return { type: 'CNAME', name, ttl, class: CLASS_IN, data: target.endsWith('.') ? target : `${target}.` };
}

export function ptrRecord(name: string, target: string): Record {
  return { type: 'PTR', name, ttl: 0, class: CLASS_IN, data: target };
}

export function nsRecord(domain: string, target: string, ttl: number): Record {
  return { type: 'NS', name: domain, ttl, class: CLASS_IN, data: target };
}

export function soaRecord(domain: string, soa: { refresh: number; retry: number; expire: number; minTtl: number }): Record {
  return {
    type: 'SOA',
    name: domain,
    // The SOA's own TTL must match its minimum so negative answers are cached consistently.
    ttl: soa.minTtl,
    class: CLASS_IN,
    data: {
      mname: `ns.${domain}`,
      rname: `hostmaster.${domain}`,
      serial: Math.floor(Date.now() / 1000) >>> 0,
      refresh: soa.refresh,
      retry: soa.retry,
      expire: soa.expire,
      minimum: soa.minTtl,
    },
  };
}

/** One TXT record per metadata key, RFC 1464 `key=value`; keys starting `rfc1035-` carry the bare value. */
export function metaTxtRecords(name: string, meta: Readonly<{ [key: string]: string }>, ttl: number): Record[] {
  return Object.keys(meta)
    .sort()
    .map((key) => ({
      type: 'TXT' as const,
      name,
      ttl,
      class: CLASS_IN,
      data: characterStrings(key.toLowerCase().startsWith('rfc1035-') ? meta[key] : rfc1464(key, meta[key])),
    }));
}

/** A TXT character-string holds at most 255 bytes: longer text spans several. */
function characterStrings(text: string): Buffer[] {
  const bytes = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) parts.push(bytes.subarray(i, i + 255));
  return parts.length ? parts : [bytes];
}

/** RFC 1464: backquote backquotes and `=` in the key, and its leading and trailing spaces. */
export function rfc1464(key: string, value: string): string {
  let k = key.replace(/`/g, '``').replace(/=/g, '`=');
  k = k.replace(/^ +/, (m) => '` '.repeat(m.length)).replace(/ +$/, (m) => '` '.repeat(m.length));
  return `${k}=${value.replace(/`/g, '``')}`;
}

export const nodeName = (node: string, datacenter: string, domain: string): string => `${node}.node.${datacenter}.${domain}`;
export const serviceName = (service: string, datacenter: string, domain: string): string => `${service}.service.${datacenter}.${domain}`;

/** `<hex>.addr.<dc>.<domain>`: an SRV target that resolves to a service address unlike its node's. */
export function addrName(ip: string, datacenter: string, domain: string): string {
  return `${ipToHex(ip)}.addr.${datacenter}.${domain}`;
}

export const isIp = (address: string): boolean => ipFamily(address) !== 0;

/** A name the wire format can carry: labels of 1-63 bytes, at most 253 bytes in all. */
export function encodable(name: string): boolean {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare === '') return true;
  if (Buffer.byteLength(bare) > 253) return false;
  for (const label of bare.split('.')) {
    const len = Buffer.byteLength(label);
    if (len === 0 || len > 63) return false;
  }
  return true;
}

/** A stable text key of a record, for removing duplicates. */
export function recordKey(r: Record): string {
  return `${r.type} ${r.name.toLowerCase()} ${typeof (r as { data?: unknown }).data === 'string' ? (r as { data: string }).data : JSON.stringify((r as { data?: unknown }).data)}`;
}
