/** service-defaults: how one service speaks and how its proxies treat it and its upstreams. */
import { isIP } from 'node:net';
import { WeftError } from '../../lib/errors.js';
import { bad, checkExpose, checkMeshGatewayMode, checkNonNegative, checkProxyMode, exposeSchema, meshGatewaySchema, transparentProxySchema, withStructDefaults } from './common-fields.js';
import type { ServiceDefaultsEntry } from './entry-types.js';
import { defineConfigKind } from './kinds.js';
import { PROTOCOLS, SERVICE_DEFAULTS } from './protocol.js';
import { objectOf } from './schema.js';
import type { ConfigEntryInput } from './types.js';
import { isValidConnectionBalance, normalizeUpstreamConfiguration, upstreamConfigurationSchema, validateUpstreamConfiguration } from './upstream-config.js';

export function checkProtocol(protocol: unknown, field: string): void {
  if (protocol === undefined || protocol === '') return;
  if (typeof protocol !== 'string' || !(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new WeftError('BAD_REQUEST', `invalid value for ${field}: ${JSON.stringify(protocol)}, must be one of ${PROTOCOLS.join(', ')}`);
  }
}

const HOSTNAME = /^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*\.?$/;

function checkDestination(d: ServiceDefaultsEntry['Destination']): void {
  if (!d) return;
  if (!d.Addresses?.length) throw bad('Destination must contain at least one valid address');
  const seen = new Set<string>();
  for (const a of d.Addresses) {
    if (seen.has(a)) throw bad(`Duplicate address '${a}' is not allowed`);
    seen.add(a);
    if (!isIP(a) && !HOSTNAME.test(a)) throw bad(`Destination address '${a}' is invalid Could not validate address ${a} as an IP or Hostname`);
  }
  const port = d.Port ?? 0;
  if (port < 1 || port > 65535) throw bad(`Invalid Port number ${port}`);
}

defineConfigKind({
  kind: SERVICE_DEFAULTS,
  schema: objectOf({
    Protocol: 'string',
    Mode: 'string',
    TransparentProxy: transparentProxySchema,
    MeshGateway: meshGatewaySchema,
    Expose: exposeSchema,
    ExternalSNI: 'string',
    UpstreamConfig: upstreamConfigurationSchema,
    Destination: objectOf({ Addresses: 'stringList', Port: 'int' }),
    MaxInboundConnections: 'int',
    LocalConnectTimeoutMs: 'int',
    LocalRequestTimeoutMs: 'int',
    BalanceInboundConnections: 'string',
  }),
  normalize: (e) => {
    const out: ConfigEntryInput = withStructDefaults({ ...e, Protocol: typeof e.Protocol === 'string' ? e.Protocol.toLowerCase() : '' });
    if (out.UpstreamConfig) out.UpstreamConfig = normalizeUpstreamConfiguration(out.UpstreamConfig as ServiceDefaultsEntry['UpstreamConfig']);
    return out;
  },
  validate: (raw) => {
    const e = raw as ServiceDefaultsEntry;
    if (e.Name === '*') throw bad('service-defaults name must be the name of a service, and not a wildcard');
    checkProtocol(e.Protocol, 'Protocol');
    checkProxyMode(e.Mode);
    checkMeshGatewayMode(e.MeshGateway.Mode);
    checkExpose(e.Expose);
    if (!isValidConnectionBalance(e.BalanceInboundConnections)) throw bad(`invalid value for balance_inbound_connections: ${e.BalanceInboundConnections}`);
    if (e.UpstreamConfig && e.Destination) throw bad('UpstreamConfig and Destination are mutually exclusive for service defaults');
    validateUpstreamConfiguration(e.UpstreamConfig);
    checkDestination(e.Destination);
    checkNonNegative(e.MaxInboundConnections, 'MaxInboundConnections');
    checkNonNegative(e.LocalConnectTimeoutMs, 'LocalConnectTimeoutMs');
    checkNonNegative(e.LocalRequestTimeoutMs, 'LocalRequestTimeoutMs');
  },
});
