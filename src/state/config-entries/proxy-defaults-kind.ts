/** proxy-defaults: the one entry named "global" that sets defaults for every proxy. */
import { bad, checkExpose, checkMeshGatewayMode, checkProxyMode, exposeSchema, meshGatewaySchema, transparentProxySchema, withStructDefaults } from './common-fields.js';
import type { AccessLogsConfig, ProxyDefaultsEntry } from './entry-types.js';
import { defineConfigKind } from './kinds.js';
import { PROXY_DEFAULTS, PROXY_DEFAULTS_NAME } from './protocol.js';
import { objectOf } from './schema.js';
import { checkProtocol } from './service-defaults-kind.js';

const ACCESS_LOG_TYPES = new Set(['', 'file', 'stdout', 'stderr']);

function checkAccessLogs(a: AccessLogsConfig | undefined): void {
  if (!a) return;
  const type = a.Type ?? '';
  if (!ACCESS_LOG_TYPES.has(type)) throw bad(`invalid access log type: ${type}`);
  if (a.JSONFormat && a.TextFormat) throw bad('cannot specify both access log JSONFormat and TextFormat');
  if (type !== 'file' && a.Path) throw bad('path is only valid for file type access logs');
  if (type === 'file' && !a.Path) throw bad('path must be specified when using file type access logs');
  if (a.JSONFormat) {
    try {
      JSON.parse(a.JSONFormat);
    } catch (err) {
      throw bad(`invalid access log json for JSON format: ${(err as Error).message}`);
    }
  }
}

const MTLS_MODES = new Set(['', 'strict', 'permissive']);
const FAILOVER_MODES = new Set(['', 'default', 'order-by-locality']);

defineConfigKind({
  kind: PROXY_DEFAULTS,
  schema: objectOf({
    Config: { map: 'any' },
    Mode: 'string',
    TransparentProxy: transparentProxySchema,
    MeshGateway: meshGatewaySchema,
    Expose: exposeSchema,
    AccessLogs: objectOf({ Enabled: 'bool', DisableListenerLogs: 'bool', Type: 'string', Path: 'string', JSONFormat: 'string', TextFormat: 'string' }),
    FailoverPolicy: objectOf({ Mode: 'string', Regions: 'stringList' }),
    MutualTLSMode: 'string',
  }),
  // As in Consul, the one possible name may be left out.
  normalize: (e) => withStructDefaults({ ...e, Name: e.Name || PROXY_DEFAULTS_NAME }),
  validate: (raw) => {
    const e = raw as ProxyDefaultsEntry;
    if (e.Name !== PROXY_DEFAULTS_NAME) throw bad(`invalid name (${JSON.stringify(e.Name)}), only "${PROXY_DEFAULTS_NAME}" is supported`);
    const protocol = e.Config?.protocol;
    checkProtocol(typeof protocol === 'string' ? protocol.toLowerCase() : protocol, 'Config.protocol');
    checkProxyMode(e.Mode);
    checkMeshGatewayMode(e.MeshGateway.Mode);
    checkExpose(e.Expose);
    checkAccessLogs(e.AccessLogs);
    if (e.MutualTLSMode !== undefined && !MTLS_MODES.has(e.MutualTLSMode)) {
      throw bad(`Invalid MutualTLSMode ${JSON.stringify(e.MutualTLSMode)}. Must be one of "", "strict", or "permissive".`);
    }
    if (e.FailoverPolicy?.Mode !== undefined && !FAILOVER_MODES.has(e.FailoverPolicy.Mode)) {
      throw bad("FailoverPolicy.Mode must be one of '', 'default', or 'order-by-locality'");
    }
  },
});
