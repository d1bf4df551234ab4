/**
 * `sockaddr`: the everyday go-sockaddr template calls, answered from this host's
 * interfaces (`os.networkInterfaces`): GetPrivateIP(s), GetPublicIP(s),
 * GetInterfaceIP(s) "eth0", GetAllInterfaces' addresses. Anything else is an error
 * naming the expression, rather than a silently wrong address.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

type Addr = NetworkInterfaceInfo & { iface: string };

function addresses(): Addr[] {
  return Object.entries(networkInterfaces()).flatMap(([iface, list]) => (list ?? []).map((a) => ({ ...a, iface })));
}

function ipv4Octets(ip: string): number[] | null {
  const parts = ip.split('.').map(Number);
  return parts.length === 4 && parts.every((n) => Number.isInteger(n) && n >= 0 && n < 256) ? parts : null;
}

/** RFC 1918 and RFC 6598 IPv4 space, and IPv6 unique local addresses: what go-sockaddr calls private. */
export function isPrivate(ip: string): boolean {
  const o = ipv4Octets(ip);
  if (o) return o[0] === 10 || (o[0] === 172 && o[1] >= 16 && o[1] < 32) || (o[0] === 192 && o[1] === 168) || (o[0] === 100 && o[1] >= 64 && o[1] < 128);
  return /^f[cd]/i.test(ip);
}

function isSpecial(a: Addr): boolean {
  if (a.internal) return true;
  const o = ipv4Octets(a.address);
  if (o) return o[0] === 127 || (o[0] === 169 && o[1] === 254) || o[0] === 0;
  return /^fe80:/i.test(a.address) || a.address === '::1';
}

const v4First = (a: Addr, b: Addr) => (a.family === b.family ? 0 : a.family === 'IPv4' ? -1 : 1);

function interfaceAddrs(name: string): Addr[] {
  const found = addresses().filter((a) => a.iface === name);
  return found.sort(v4First);
}

const CALLS: Record<string, (arg?: string) => string> = {
  GetPrivateIP: () => addresses().filter((a) => !isSpecial(a) && isPrivate(a.address)).sort(v4First)[0]?.address ?? '',
  GetPrivateIPs: () => addresses().filter((a) => !isSpecial(a) && isPrivate(a.address)).sort(v4First).map((a) => a.address).join(' '),
  GetPublicIP: () => addresses().filter((a) => !isSpecial(a) && !isPrivate(a.address)).sort(v4First)[0]?.address ?? '',
  GetPublicIPs: () => addresses().filter((a) => !isSpecial(a) && !isPrivate(a.address)).sort(v4First).map((a) => a.address).join(' '),
  GetInterfaceIP: (name) => interfaceAddrs(name!)[0]?.address ?? '',
  GetInterfaceIPs: (name) => interfaceAddrs(name!).map((a) => a.address).join(' '),
};

const TAKES_NAME = new Set(['GetInterfaceIP', 'GetInterfaceIPs']);

export function sockaddr(...args: unknown[]): string {
  const expr = args.map(String).join(' ').trim();
  const m = /^(\w+)(?:\s+"([^"]*)")?$/.exec(expr);
  const call = m ? CALLS[m[1]] : undefined;
  if (!m || !call || TAKES_NAME.has(m[1]) !== (m[2] !== undefined)) {
    throw new Error(`unable to parse template "{{ ${expr} }}": Weft supports GetPrivateIP, GetPrivateIPs, GetPublicIP, GetPublicIPs, GetInterfaceIP "name", GetInterfaceIPs "name"`);
  }
  return call(m[2]);
}
