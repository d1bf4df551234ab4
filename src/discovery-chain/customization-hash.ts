import { createHash } from 'node:crypto';
import type { CompileRequest } from './types.js';

/**
 * Eight hex digits naming the overrides that changed a chain (Consul's CustomizationHash), so a
 * customised chain's data-plane objects are never shared with the plain chain's. Only the
 * overrides that made a difference count; none gives ''. The value is Weft's own (Consul
 * hashes Go structs); like Consul's it is opaque.
 */
export function customizationHash(customized: { meshGateway: boolean; protocol: boolean; connectTimeout: boolean }, req: CompileRequest): string {
  if (!customized.meshGateway && !customized.protocol && !customized.connectTimeout) return '';
  const parts = {
    OverrideMeshGateway: customized.meshGateway ? (req.overrideMeshGateway?.Mode ?? '') : '',
    OverrideProtocol: customized.protocol ? (req.overrideProtocol ?? '') : '',
    OverrideConnectTimeoutMs: customized.connectTimeout ? (req.overrideConnectTimeoutMs ?? 0) : 0,
  };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 8);
}
