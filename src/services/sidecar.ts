import { isIP } from 'node:net';
import { WeftError } from '../lib/errors.js';
import type { ServiceInput } from '../state/index.js';
import { addDefaultTaggedAddresses, assertValidProxy, type ServiceDefinition } from './definition.js';

export const SIDECAR_SUFFIX = '-sidecar-proxy';

export const sidecarIdFor = (serviceId: string): string => serviceId + SIDECAR_SUFFIX;

/** Picks the sidecar's port when the definition gives none; throws when the range is exhausted. */
export type SidecarPortAllocator = (sidecarId: string) => number;

/**
 * `connect { sidecar_service {} }` → the `<id>-sidecar-proxy` registration, with Consul's
 * defaults (`agent/sidecar_service.go`): kind connect-proxy, name `<name>-sidecar-proxy`,
 * tags, meta and address inherited, the destination and local service taken from the
 * parent, a port from the sidecar range, and — when the sidecar declares no checks — a TCP
 * check on its port plus an alias check on the parent.
 */
export function expandSidecar(parent: ServiceDefinition, allocatePort: SidecarPortAllocator): ServiceDefinition | null {
  const sc = parent.sidecar;
  if (!sc) return null;
  const p = parent.service;
  const s: ServiceInput = structuredClone(sc.service);
  s.ID = sidecarIdFor(p.ID);
  if (!s.Kind) s.Kind = 'connect-proxy';
  if (!s.Service) s.Service = p.Service + SIDECAR_SUFFIX;
  if (Object.keys(s.Meta).length === 0 && Object.keys(p.Meta).length > 0) s.Meta = { ...p.Meta };
  if (s.Tags.length === 0 && p.Tags.length > 0) s.Tags = [...p.Tags];
  if (!s.Locality && p.Locality) s.Locality = { ...p.Locality };
  if (!s.Address) s.Address = p.Address;
  s.Proxy = { ...s.Proxy };
  if (!s.Proxy.DestinationServiceName) s.Proxy.DestinationServiceName = p.Service;
  if (!s.Proxy.DestinationServiceID) s.Proxy.DestinationServiceID = p.ID;
  if (!s.Proxy.LocalServiceSocketPath && (!s.Proxy.LocalServiceAddress || !s.Proxy.LocalServicePort)) {
    if (p.SocketPath) s.Proxy.LocalServiceSocketPath = p.SocketPath;
    else {
      s.Proxy.LocalServiceAddress ||= '127.0.0.1';
      s.Proxy.LocalServicePort ||= p.Port;
    }
  }
  if (s.Port < 1 && !s.SocketPath) s.Port = allocatePort(s.ID);
  addDefaultTaggedAddresses(s);
  assertValidProxy(s);
  const checks = sc.checks.length > 0 ? sc.checks : defaultSidecarChecks(s, p.ID);
  return { service: s, checks, sidecar: null, token: sc.token || parent.token };
}

function defaultSidecarChecks(s: ServiceInput, parentId: string): Record<string, unknown>[] {
  const host = s.Address || s.Proxy.LocalServiceAddress || '127.0.0.1';
  return [
    { Name: 'Connect Sidecar Listening', TCP: `${isIP(host) === 6 ? `[${host}]` : host}:${s.Port}`, Interval: '10s' },
    { Name: `Connect Sidecar Aliasing ${parentId}`, AliasService: parentId },
  ];
}

/**
 * Consul's allocation: the sidecar keeps the port it already has in the range, else gets
 * the lowest port of the range no other local service uses.
 */
export function allocateSidecarPort(
  sidecarId: string,
  range: { min: number; max: number },
  services: Iterable<{ ID: string; Port: number }>,
): number {
  if (range.min < 1 || range.max < 1) {
    throw new WeftError('BAD_REQUEST', 'Invalid SidecarService: no port provided for sidecar_service and auto-assignment disabled in config');
  }
  const used = new Set<number>();
  for (const other of services) {
    if (other.Port < range.min || other.Port > range.max) continue;
    if (other.ID === sidecarId) return other.Port;
    used.add(other.Port);
  }
  for (let port = range.min; port <= range.max; port++) if (!used.has(port)) return port;
  throw new WeftError(
    'BAD_REQUEST',
    `Invalid SidecarService: no port provided for sidecar_service and none left in the configured range [${range.min}, ${range.max}]`,
  );
}
