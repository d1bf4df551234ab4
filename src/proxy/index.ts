/**
 * The built-in proxy (`weft connect proxy`), L4 and L7 (`l7/`): small layers assembled in `stack.ts` and fed
 * by the proxy snapshot the agent serves. It imports no control-plane code, so a sidecar
 * loads only the API client, TLS and its metrics.
 */
export { ProxyStack, type ListenerAddresses } from './stack.js';
export { ProxyMetrics } from './metrics.js';
export { fetchSnapshot, followSnapshots, type SnapshotTarget } from './snapshot-source.js';
export { startAdminServer } from './admin-server.js';
export { boundSidecarHeap } from './heap-bounds.js';
export { SelfRegistration, type SelfRegisterOptions } from './self-register.js';
export { EndpointTable } from './balancer.js';
export { withRetry, DEFAULT_ATTEMPTS } from './retry.js';
export { splice } from './splice.js';
