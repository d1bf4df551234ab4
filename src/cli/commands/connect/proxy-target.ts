import type { ApiClient } from '../../../api/client.js';
import type { SnapshotTarget } from '../../../proxy/snapshot-source.js';
import { parseUpstreamFlag } from '../../../proxycfg/wire.js';
import { WeftError } from '../../../lib/errors.js';

export interface ProxyTargetFlags {
  proxyId: string;
  sidecarFor: string;
  service: string;
  upstreams: string[];
  listen: string;
  serviceAddr: string;
}

interface AgentServiceLite {
  ID: string;
  Kind?: string;
  Proxy?: { DestinationServiceID?: string };
}

/**
 * Consul's LookupProxyIDForSidecar: the one connect-proxy on the local agent whose
 * Proxy.DestinationServiceID is `sidecarFor`.
 */
export async function proxyIdForSidecar(client: ApiClient, sidecarFor: string): Promise<string> {
  let services: Record<string, AgentServiceLite>;
  try {
    services = (await client.get<Record<string, AgentServiceLite>>('/v1/agent/services')).body;
  } catch (err) {
    throw new WeftError('UNAVAILABLE', `Failed looking up sidecar proxy info for ${sidecarFor}: ${(err as Error).message}`);
  }
  const ids = Object.values(services)
    .filter((s) => s.Kind === 'connect-proxy' && s.Proxy?.DestinationServiceID?.toLowerCase() === sidecarFor.toLowerCase())
    .map((s) => s.ID)
    .sort();
  if (ids.length === 0) throw new WeftError('NOT_FOUND', `No sidecar proxy registered for ${sidecarFor}`);
  if (ids.length > 1) {
    throw new WeftError('BAD_REQUEST', `More than one sidecar proxy registered for ${sidecarFor}.\n    Start proxy with -proxy-id and one of the following IDs: ${ids.join(', ')}`);
  }
  return ids[0];
}

/**
 * Which snapshot the proxy follows, and the lines Consul prints about it. A registered
 * proxy is found on the node of the agent it talks to (a client agent that forwards the
 * request to a server names its node), so it is found in the catalog either way.
 */
export async function resolveTarget(client: ApiClient, f: ProxyTargetFlags): Promise<{ target: SnapshotTarget; banner: string[] }> {
  let proxyId = f.proxyId;
  const banner: string[] = [];
  if (proxyId || f.sidecarFor) {
    if (!proxyId) proxyId = await proxyIdForSidecar(client, f.sidecarFor);
    banner.push(kv('Configuration mode', 'Agent API'));
    if (f.sidecarFor && !f.proxyId) banner.push(kv('Sidecar for ID', f.sidecarFor));
    banner.push(kv('Proxy ID', proxyId));
    // No node: the agent the proxy talks to names itself (a client agent forwarding says which node it is),
    // so a proxy needs no agent:read — a service-identity token is enough, as with Consul.
    return { target: { proxyId }, banner };
  }
  if (!f.service) throw new WeftError('BAD_REQUEST', '-service or -proxy-id must be specified so that proxy can configure itself.');
  banner.push(kv('Configuration mode', 'Flags'), kv('Service', f.service));
  for (const raw of f.upstreams) {
    const u = parseUpstreamFlag(raw);
    if (typeof u === 'string') throw new WeftError('FLAG_INVALID', u);
    banner.push(kv('Upstream', `${u.DestinationName} => ${u.LocalBindAddress || '127.0.0.1'}:${u.LocalBindPort}`));
  }
  if (f.listen) {
    if (!f.serviceAddr) throw new WeftError('BAD_REQUEST', '-service-addr must be specified with -listen so the proxy knows the backend service address.');
    banner.push(kv('Public listener', `${f.listen} => ${f.serviceAddr}`));
  } else banner.push(kv('Public listener', 'Disabled'));
  return { target: { service: f.service, upstreams: f.upstreams, listen: f.listen || undefined, serviceAddr: f.serviceAddr || undefined }, banner };
}

const kv = (k: string, v: string): string => `    ${k.padStart(18)}: ${v}`;

/** `host:port` of `-listen`, for `-register`. */
export function listenParts(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(listen);
  if (!m) throw new WeftError('FLAG_INVALID', `invalid -listen ${JSON.stringify(listen)}: want host:port`);
  return { host: m[1] ?? m[2], port: Number(m[3]) };
}
