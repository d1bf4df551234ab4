/**
 * Native Connect integration (Consul's `connect` Go package): a process or a serverless
 * function gets its certificate and roots from the agent and speaks mutual TLS to mesh
 * services without a sidecar. The built-in proxy is made of the same parts.
 */
export { connectService, ConnectService, type ConnectServiceOptions, type DialServiceOptions } from './service.js';
export { authorizeConnection, type Authorization } from './authorize.js';
export { dialMtls, DialError, type DialTarget, type DialStage, type DialOptions } from './dial.js';
export { TlsContexts, contextOptions, MIN_TLS_VERSION, type TlsMaterial } from './tls.js';
export { peerIdentity, certIdentity, uriSans, expectIdentity, sameIdentity, type ServiceIdentity } from './identity.js';
export { follow, type FollowOptions } from './follow.js';
export { SessionCache } from './session-cache.js';
