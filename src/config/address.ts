/**
 * Address values (`bind_addr`, `client_addr`, `advertise_addr`, recursors).
 *
 * Consul runs these through go-sockaddr templates. Weft resolves exactly one template,
 * `{{ GetInterfaceIP "eth0" }}` (the interface name is a regular expression, as in
 * go-sockaddr; IPv4 is preferred, loopback and link-local addresses are skipped, as
 * go-sockaddr's "forwardable" filter does). Every other template is reported as
 * not supported rather than guessed at.
 */
import { isIP } from 'node:net';
import os from 'node:os';

export type Interfaces = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

export type Resolved = { ok: true; addresses: string[] } | { ok: false; message: string };

const GET_INTERFACE_IP = /^\{\{\s*GetInterfaceIP\s+"([^"]*)"\s*\}\}$/;

/** Resolves a space-separated address list or one supported template. */
export function resolveAddresses(value: string, interfaces: () => Interfaces = os.networkInterfaces): Resolved {
  const text = value.trim();
  if (text.includes('{{')) return resolveTemplate(text, interfaces);
  const addresses = text.split(/\s+/).filter((a) => a !== '');
  for (const address of addresses) {
    if (isIP(address) === 0) return { ok: false, message: `"${address}" is not an IP address` };
  }
  return { ok: true, addresses };
}

function resolveTemplate(text: string, interfaces: () => Interfaces): Resolved {
  const m = GET_INTERFACE_IP.exec(text);
  if (!m) {
    return {
      ok: false,
      message: `go-sockaddr templates are not supported yet (only {{ GetInterfaceIP "<name>" }}), got "${text}"`,
    };
  }
  let nameRe: RegExp;
  try {
    nameRe = new RegExp(m[1]);
  } catch {
    return { ok: false, message: `GetInterfaceIP: invalid interface name pattern "${m[1]}"` };
  }
  const candidates: os.NetworkInterfaceInfo[] = [];
  for (const [name, infos] of Object.entries(interfaces())) {
    if (nameRe.test(name)) candidates.push(...(infos ?? []).filter(forwardable));
  }
  candidates.sort((a, b) => familyRank(a) - familyRank(b));
  if (candidates.length === 0) {
    return { ok: false, message: `GetInterfaceIP: no usable address on an interface matching "${m[1]}"` };
  }
  return { ok: true, addresses: [candidates[0].address] };
}

function familyRank(info: os.NetworkInterfaceInfo): number {
  return info.family === 'IPv4' ? 0 : 1;
}

function forwardable(info: os.NetworkInterfaceInfo): boolean {
  if (info.internal) return false;
  const a = info.address.toLowerCase();
  return !(a.startsWith('127.') || a === '::1' || a.startsWith('169.254.') || a.startsWith('fe80:'));
}

/** 0.0.0.0 / :: — valid to bind to, not to advertise. */
export function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '[::]';
}
