import { WeftError } from '../../lib/errors.js';
import { defineConfigKind } from './kinds.js';
import { PROTOCOLS, PROXY_DEFAULTS, PROXY_DEFAULTS_NAME, SERVICE_DEFAULTS } from './protocol.js';
import { objectOf } from './schema.js';

function checkProtocol(protocol: unknown, field: string): void {
  if (protocol === undefined || protocol === '') return;
  if (typeof protocol !== 'string' || !(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new WeftError('BAD_REQUEST', `invalid value for ${field}: ${JSON.stringify(protocol)}, must be one of ${PROTOCOLS.join(', ')}`);
  }
}

/**
 * service-defaults, so far only the protocol a service speaks (what L7 intentions check
 * against). The traffic-management fields join it with the L7 work.
 */
defineConfigKind({
  kind: SERVICE_DEFAULTS,
  schema: objectOf({ Protocol: 'string' }),
  normalize: (e) => (typeof e.Protocol === 'string' ? { ...e, Protocol: e.Protocol.toLowerCase() } : e),
  validate: (e) => checkProtocol(e.Protocol, 'Protocol'),
});

/** proxy-defaults: one entry named "global" whose opaque Config may set `protocol`. */
defineConfigKind({
  kind: PROXY_DEFAULTS,
  schema: objectOf({ Config: { map: 'any' } }),
  validate: (e) => {
    if (e.Name !== PROXY_DEFAULTS_NAME) throw new WeftError('BAD_REQUEST', `invalid name (${JSON.stringify(e.Name)}), only "${PROXY_DEFAULTS_NAME}" is supported`);
    const config = e.Config as Record<string, unknown> | undefined;
    checkProtocol(typeof config?.protocol === 'string' ? config.protocol.toLowerCase() : config?.protocol, 'Config.protocol');
  },
});
