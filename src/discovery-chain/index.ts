/**
 * Discovery chains (Consul's L7 traffic management): service-router → service-splitter →
 * service-resolver entries compiled into one graph per service. Importing this module also
 * registers the write-time check that refuses entries whose chains would not compile.
 */
import './graph-check.js';

export type * from './types.js';
export { compileDiscoveryChain } from './compile.js';
export { affectedChains, relatedServices, checkChainsCompile } from './graph-check.js';
export { readDiscoveryChain, watchedConfigView, chainSourcesIndex, chainTrustDomain, CHAIN_SOURCE_KINDS, type ChainOptions } from './read.js';
export { compileChainForUpstream, type UpstreamChain, type UpstreamChainOptions, type ChainTargetInstances } from './upstream.js';
export { resolveUpstreamConfig } from './upstream-defaults.js';
export { targetId, targetSni, DEFAULT_CONNECT_TIMEOUT_MS } from './target.js';
