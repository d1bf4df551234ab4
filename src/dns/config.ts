import { isIP } from 'node:net';
import type { RuntimeConfig } from '../config/index.js';
import { parseDuration } from '../lib/duration.js';

export interface Upstream {
  host: string;
  port: number;
}

/** The DNS server's slice of the runtime config, with durations in seconds and names canonical. */
export interface DnsConfig {
  /** Lower-case, with the trailing dot: `consul.` */
  domain: string;
  /** Lower-case FQDN, or null when no alternate domain is set. */
  altDomain: string | null;
  nodeName: string;
  nodeTtl: number;
  /** TTL in seconds for a service: exact name first, then the longest `prefix*` pattern. */
  serviceTtl: (service: string) => number | undefined;
  onlyPassing: boolean;
  udpAnswerLimit: number;
  aRecordLimit: number;
  enableTruncate: boolean;
  disableCompression: boolean;
  nodeMetaTxt: boolean;
  soa: { refresh: number; retry: number; expire: number; minTtl: number };
  recursors: Upstream[];
  recursorTimeoutMs: number;
  recursorStrategy: 'sequential' | 'random';
}

export const fqdn = (name: string): string => (name.endsWith('.') ? name : `${name}.`);

const seconds = (d: string): number => Math.max(0, Math.floor(parseDuration(d) / 1000));

/** `1.1.1.1`, `1.1.1.1:5353`, `::1`, `[::1]:5353`; port 53 unless given. */
export function parseUpstream(address: string): Upstream {
  const bracketed = /^\[(.+)\]:(\d+)$/.exec(address);
  if (bracketed) return { host: bracketed[1], port: Number(bracketed[2]) };
  if (isIP(address) === 6) return { host: address, port: 53 };
  const hostPort = /^([^:]+):(\d+)$/.exec(address);
  if (hostPort) return { host: hostPort[1], port: Number(hostPort[2]) };
  return { host: address, port: 53 };
}

export function serviceTtlLookup(patterns: Record<string, string>): (service: string) => number | undefined {
  const exact = new Map<string, number>();
  const prefixes: [string, number][] = [];
  for (const [key, value] of Object.entries(patterns)) {
    if (key.endsWith('*')) prefixes.push([key.slice(0, -1), seconds(value)]);
    else exact.set(key, seconds(value));
  }
  prefixes.sort((a, b) => b[0].length - a[0].length);
  return (service) => exact.get(service) ?? prefixes.find(([p]) => service.startsWith(p))?.[1];
}

export function dnsConfigFrom(config: RuntimeConfig): DnsConfig {
  const d = config.dns;
  return {
    domain: fqdn(config.domain.toLowerCase()),
    altDomain: config.altDomain ? fqdn(config.altDomain.toLowerCase()) : null,
    nodeName: config.nodeName,
    nodeTtl: seconds(d.nodeTtl),
    serviceTtl: serviceTtlLookup(d.serviceTtl),
    onlyPassing: d.onlyPassing,
    udpAnswerLimit: d.udpAnswerLimit,
    aRecordLimit: d.aRecordLimit,
    enableTruncate: d.enableTruncate,
    disableCompression: d.disableCompression,
    nodeMetaTxt: d.enableAdditionalNodeMetaTxt,
    soa: { ...d.soa },
    recursors: config.recursors.map(parseUpstream),
    recursorTimeoutMs: parseDuration(d.recursorTimeout),
    recursorStrategy: d.recursorStrategy,
  };
}
