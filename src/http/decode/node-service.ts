import { WeftError } from '../../lib/errors.js';
import type { ServiceInput, ServiceRow } from '../../state/index.js';
import type { FieldReader } from './fields.js';
import { decodeProxy } from './proxy.js';

const KINDS = new Set<string>(['', 'connect-proxy', 'mesh-gateway', 'terminating-gateway', 'ingress-gateway', 'api-gateway']);
const ANY_ADDRESS = new Set(['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0']);

const bad = (message: string) => new WeftError('BAD_REQUEST', message);

/**
 * Consul silently replaces invalid weights with the default (`NodeService.ToServiceNode`),
 * so a registration with `Weights: {}` gets `{Passing: 1, Warning: 1}` rather than an error.
 */
function weights(r: FieldReader | undefined): { Passing: number; Warning: number } {
  const passing = r?.int('Passing') ?? 0;
  const warning = r?.int('Warning') ?? 0;
  if (passing < 1 || warning < 0 || passing > 65535 || warning > 65535) return { Passing: 1, Warning: 1 };
  return { Passing: passing, Warning: warning };
}

function taggedAddresses(r: FieldReader | undefined): Record<string, { Address: string; Port: number }> {
  const out: Record<string, { Address: string; Port: number }> = {};
  if (!r) return out;
  for (const key of Object.keys(r.value)) {
    const a = r.object([key]);
    if (!a) continue;
    out[key] = { Address: a.string('Address'), Port: a.int('Port', { min: 0, max: 65535 }) ?? 0 };
  }
  return out;
}

/**
 * A NodeService body (the `Service` of `/v1/catalog/register`): defaults as Consul applies
 * them (ID defaults to the name, weights to 1/1) and Consul's validation, each failure a 400.
 */
export function decodeNodeService(r: FieldReader): ServiceInput {
  const kind = r.string('Kind');
  if (!KINDS.has(kind)) throw bad(`Invalid service kind: "${kind}"`);
  const name = r.string('Service');
  const id = r.string('ID') || name;
  if (!id && !name) throw bad('Must provide service name (Service.Service)');
  if (id && !name) throw bad('Must provide service name (Service.Service) with ID (Service.ID)');
  const address = r.string('Address');
  if (ANY_ADDRESS.has(address)) throw bad('Invalid service address');
  const port = r.int('Port', { min: 0, max: 65535 }) ?? 0;
  const socketPath = r.string('SocketPath');
  const proxy = decodeProxy(r.object('Proxy'));
  if (kind === 'connect-proxy') {
    if (port === 0 && !socketPath) throw bad('Port or SocketPath must be set for a connect-proxy');
    if (!proxy.DestinationServiceName?.trim()) throw bad('Proxy.DestinationServiceName must be non-empty for Connect proxy services');
  }
  const connect = r.object('Connect');
  const connectOut: ServiceRow['Connect'] = {};
  if (connect?.bool('Native')) connectOut.Native = true;
  const sidecar = connect?.raw(['SidecarService', 'sidecar_service']);
  if (sidecar !== undefined) connectOut.SidecarService = sidecar;
  if (kind === 'connect-proxy' && connectOut.Native) throw bad('A Proxy cannot also be Connect Native, only typical services');
  const service: ServiceInput = {
    Kind: kind as ServiceRow['Kind'],
    ID: id,
    Service: name,
    Tags: r.stringList('Tags') ?? [],
    Address: address,
    TaggedAddresses: taggedAddresses(r.object('TaggedAddresses')),
    Meta: r.stringMap('Meta') ?? {},
    Port: port,
    SocketPath: socketPath,
    Weights: weights(r.object('Weights')),
    EnableTagOverride: r.bool('EnableTagOverride'),
    Proxy: proxy,
    Connect: connectOut,
  };
  const locality = r.object('Locality');
  if (locality) service.Locality = { Region: locality.string('Region'), Zone: locality.string('Zone') };
  return service;
}
