import { WeftError } from '../lib/errors.js';
import type { ServiceRow } from '../state/index.js';
import { parseUpstreamFlag, type UpstreamFlag } from './wire.js';

/** What a proxy is, before the live parts (leaf, roots, intentions, endpoints) are added. */
export interface ProxyDefinition {
  proxyId: string;
  /** The destination service: the identity the proxy acts as. */
  service: string;
  serviceId: string;
  listener: ListenerDefinition | null;
  upstreams: UpstreamDefinition[];
  config: Record<string, unknown>;
}

export interface ListenerDefinition {
  bindAddress: string;
  bindPort: number;
  localAddress: string;
  localPort: number;
  localConnectTimeoutMs: number;
  handshakeTimeoutMs: number;
}

export interface UpstreamDefinition extends UpstreamFlag {
  datacenter: string;
  connectTimeoutMs: number;
  config: Record<string, unknown>;
}

/** Consul's built-in proxy defaults (connect/proxy/config.go). */
const LOCAL_CONNECT_TIMEOUT_MS = 1000;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const UPSTREAM_CONNECT_TIMEOUT_MS = 10_000;

/** A number from an opaque config map (JSON numbers, or HCL's strings), else the default. */
function numberOf(config: Record<string, unknown> | undefined, key: string, dflt: number): number {
  const v = config?.[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? n : dflt;
}

function stringOf(config: Record<string, unknown> | undefined, key: string): string {
  const v = config?.[key];
  return typeof v === 'string' ? v : '';
}

/** A `connect-proxy` registration as its proxy runs it. */
export function definitionFromRegistration(row: ServiceRow): ProxyDefinition {
  if (row.Kind !== 'connect-proxy') throw new WeftError('BAD_REQUEST', `service ${JSON.stringify(row.ID)} is not a connect-proxy`);
  const p = row.Proxy;
  const config = p.Config ?? {};
  const service = p.DestinationServiceName ?? '';
  if (!service) throw new WeftError('BAD_REQUEST', `proxy ${JSON.stringify(row.ID)} has no Proxy.DestinationServiceName`);
  return {
    proxyId: row.ID,
    service,
    serviceId: p.DestinationServiceID ?? '',
    listener:
      row.Port > 0
        ? {
            // Envoy honours bind_address; Consul's built-in proxy binds the registered address.
            bindAddress: stringOf(config, 'bind_address') || row.Address || '0.0.0.0',
            bindPort: row.Port,
            localAddress: p.LocalServiceAddress || '127.0.0.1',
            localPort: p.LocalServicePort ?? 0,
            localConnectTimeoutMs: numberOf(config, 'local_connect_timeout_ms', LOCAL_CONNECT_TIMEOUT_MS),
            handshakeTimeoutMs: numberOf(config, 'handshake_timeout_ms', HANDSHAKE_TIMEOUT_MS),
          }
        : null,
    upstreams: (p.Upstreams ?? [])
      .filter((u) => u.LocalBindPort)
      .map((u) => ({
        DestinationName: u.DestinationName,
        DestinationType: u.DestinationType === 'prepared_query' ? 'prepared_query' : 'service',
        LocalBindAddress: u.LocalBindAddress || '127.0.0.1',
        LocalBindPort: u.LocalBindPort ?? 0,
        datacenter: u.Datacenter ?? '',
        connectTimeoutMs: numberOf(u.Config, 'connect_timeout_ms', UPSTREAM_CONNECT_TIMEOUT_MS),
        config: u.Config ?? {},
      })),
    config,
  };
}

/** What `weft connect proxy -service NAME [-upstream ...] [-listen ... -service-addr ...]` asks for. */
export interface AdhocParams {
  service: string;
  upstreams: string[];
  listen?: string;
  serviceAddr?: string;
}

function hostPort(value: string, what: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) throw new WeftError('BAD_REQUEST', `invalid ${what} ${JSON.stringify(value)}: want host:port`);
  return { host: m[1] ?? m[2], port };
}

/** A proxy that masquerades as a service without being registered (Consul's "Flags" configuration mode). */
export function adhocDefinition(params: AdhocParams): ProxyDefinition {
  if (!params.service) throw new WeftError('BAD_REQUEST', '-service or -proxy-id must be specified so that proxy can configure itself.');
  let listener: ListenerDefinition | null = null;
  if (params.listen) {
    if (!params.serviceAddr) throw new WeftError('BAD_REQUEST', '-service-addr must be specified with -listen so the proxy knows the backend service address.');
    const bind = hostPort(params.listen, 'listen address');
    const local = hostPort(params.serviceAddr, 'service address');
    listener = {
      bindAddress: bind.host || '0.0.0.0',
      bindPort: bind.port,
      localAddress: local.host || '127.0.0.1',
      localPort: local.port,
      localConnectTimeoutMs: LOCAL_CONNECT_TIMEOUT_MS,
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
    };
  }
  const upstreams = params.upstreams.map((raw): UpstreamDefinition => {
    const u = parseUpstreamFlag(raw);
    if (typeof u === 'string') throw new WeftError('BAD_REQUEST', u);
    return { ...u, LocalBindAddress: u.LocalBindAddress || '127.0.0.1', datacenter: '', connectTimeoutMs: UPSTREAM_CONNECT_TIMEOUT_MS, config: {} };
  });
  // Consul keys upstream flags by name: a later -upstream for the same name wins.
  const byName = new Map(upstreams.map((u) => [u.DestinationName, u]));
  return { proxyId: '', service: params.service, serviceId: '', listener, upstreams: [...byName.values()].sort((a, b) => (a.DestinationName < b.DestinationName ? -1 : 1)), config: {} };
}
