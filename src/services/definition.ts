import { isIP } from 'node:net';
import { WeftError } from '../lib/errors.js';
import type { ServiceAddress, ServiceInput, ServiceRow } from '../state/index.js';
import { Fields, decodeError } from './fields.js';
import { assertValidMeta } from './meta.js';
import { parseProxy } from './proxy.js';

export const SERVICE_KINDS: readonly ServiceRow['Kind'][] = ['', 'connect-proxy', 'mesh-gateway', 'terminating-gateway', 'ingress-gateway', 'api-gateway'];

/**
 * One service registration, normalised: the service as the catalog stores it, its check
 * definitions as written (parsed by the check module once IDs are known), and the sidecar
 * it asks for, still to be expanded against the agent's port range.
 */
export interface ServiceDefinition {
  service: ServiceInput;
  checks: Record<string, unknown>[];
  sidecar: ServiceDefinition | null;
  token: string;
}

/**
 * Parses a service definition from an HTTP registration body or a config file: Consul's
 * CamelCase or snake_case keys, any letter case. Throws WeftError BAD_REQUEST with the
 * reason Consul gives (`Missing service name`, `Invalid service address`, ...).
 */
export function parseServiceDefinition(raw: unknown): ServiceDefinition {
  const def = parseService(new Fields(raw, ''), false);
  addDefaultTaggedAddresses(def.service);
  return def;
}

function parseService(f: Fields, isSidecar: boolean): ServiceDefinition {
  const name = f.string('Name', 'Service') ?? '';
  if (!isSidecar && name === '') throw new WeftError('BAD_REQUEST', 'Missing service name');
  const kind = (f.string('Kind') ?? '') as ServiceRow['Kind'];
  if (!SERVICE_KINDS.includes(kind)) throw new WeftError('BAD_REQUEST', `Invalid service kind: ${JSON.stringify(kind)}`);
  const id = f.string('ID') ?? '';
  if (isSidecar && id !== '') {
    throw invalid('A SidecarService cannot specify an ID as this is managed by the agent');
  }
  const address = f.string('Address') ?? '';
  if (address === '0.0.0.0' || address === '::' || address === '[::]') throw new WeftError('BAD_REQUEST', 'Invalid service address');
  const port = f.int('Port') ?? 0;
  if (port < 0 || port > 65535) throw decodeError(f.path ? `${f.path}.Port` : 'Port', `must be between 0 and 65535, got ${port}`);
  const meta = f.stringMap('Meta') ?? {};
  assertValidMeta(meta);

  const service: ServiceInput = {
    Kind: kind,
    ID: id || name,
    Service: name,
    Tags: f.stringList('Tags') ?? [],
    Address: address,
    TaggedAddresses: taggedAddresses(f),
    Meta: meta,
    Port: port,
    SocketPath: f.string('SocketPath') ?? '',
    Weights: weights(f.object('Weights')),
    EnableTagOverride: f.bool('EnableTagOverride') ?? false,
    Proxy: parseProxy(f.object('Proxy')),
    Connect: {},
  };
  const locality = f.object('Locality');
  if (locality) {
    const region = locality.string('Region');
    const zone = locality.string('Zone');
    if (region || zone) service.Locality = { ...(region ? { Region: region } : {}), ...(zone ? { Zone: zone } : {}) };
  }

  let sidecar: ServiceDefinition | null = null;
  const connect = f.object('Connect');
  if (connect) {
    if (connect.bool('Native')) service.Connect = { Native: true };
    const sc = connect.object('SidecarService');
    if (sc) {
      if (isSidecar) throw invalid('A SidecarService cannot have a nested SidecarService');
      if (service.Connect.Native) throw invalid('A Connect native service cannot also have a SidecarService');
      sidecar = parseService(sc, true);
    }
  }
  if (kind === 'connect-proxy' && !isSidecar) assertValidProxy(service);

  const checks: Record<string, unknown>[] = [];
  const single = f.rawObjects('Check');
  if (single) checks.push(...single);
  checks.push(...(f.rawObjects('Checks') ?? []));
  return {
    service,
    // Go clients send an empty `Check` object for "no check"; Consul ignores it.
    checks: checks.filter((c) => Object.keys(c).length > 0),
    sidecar,
    token: f.string('Token') ?? '',
  };
}

/** Consul's `NodeService.Validate` for connect proxies. */
export function assertValidProxy(s: ServiceInput): void {
  if ((s.Proxy.DestinationServiceName ?? '').trim() === '') {
    throw invalid('Proxy.DestinationServiceName must be non-empty for Connect proxy services');
  }
  if (s.Port === 0 && !s.SocketPath) throw invalid('Port must be set for a Connect proxy');
  if (s.Connect.Native) throw invalid('A Proxy cannot also be Connect Native, only typical services');
}

function weights(f: Fields | undefined): { Passing: number; Warning: number } {
  if (!f) return { Passing: 1, Warning: 1 };
  const passing = f.int('Passing') ?? 1;
  const warning = f.int('Warning') ?? 1;
  if (passing < 1) throw new WeftError('BAD_REQUEST', 'Invalid Weights: Passing must be greater than 0');
  if (warning < 0) throw new WeftError('BAD_REQUEST', 'Invalid Weights: Warning must be greater or equal than 0');
  return { Passing: passing, Warning: warning };
}

function taggedAddresses(f: Fields): Record<string, ServiceAddress> {
  const out: Record<string, ServiceAddress> = {};
  for (const [name, a] of f.objectMap('TaggedAddresses') ?? []) {
    const p = a.int('Port') ?? 0;
    if (p < 0 || p > 65535) throw decodeError(`${a.path}.Port`, `must be between 0 and 65535, got ${p}`);
    out[name] = { Address: a.string('Address') ?? '', Port: p };
  }
  for (const [key, family] of [['lan_ipv4', 4], ['wan_ipv4', 4], ['lan_ipv6', 6], ['wan_ipv6', 6]] as const) {
    if (out[key] && isIP(out[key].Address) !== family) {
      throw new WeftError('BAD_REQUEST', `Service tagged address "${key}" must be a valid ipv${family} address`);
    }
  }
  return out;
}

/** Consul's defaults, added by the agent: `lan_ipv4`/`wan_ipv4` (or v6) for a service with an IP address. */
export function addDefaultTaggedAddresses(s: ServiceInput): void {
  const family = isIP(s.Address);
  if (family !== 4 && family !== 6) return;
  const suffix = family === 4 ? 'ipv4' : 'ipv6';
  for (const scope of ['lan', 'wan']) {
    const key = `${scope}_${suffix}`;
    if (!(key in s.TaggedAddresses)) s.TaggedAddresses = { ...s.TaggedAddresses, [key]: { Address: s.Address, Port: s.Port } };
  }
}

function invalid(reason: string): WeftError {
  return new WeftError('BAD_REQUEST', `Validation failed: ${reason}`);
}
