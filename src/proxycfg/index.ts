/**
 * The proxy snapshot (Consul's proxycfg): one typed value per proxy built on the agent from
 * its registration, its leaf certificate, the roots, the intentions for its service and the
 * healthy endpoints of each upstream. `wire.ts` is the half a proxy imports (types and
 * naming rules, no control-plane code); the builder below reads the store.
 */
export * from './wire.js';
export { snapshotHash } from './hash.js';
export { buildSnapshot, proxyRegistration, type SnapshotSources } from './build.js';
export { definitionFromRegistration, adhocDefinition, type ProxyDefinition, type ListenerDefinition, type UpstreamDefinition, type AdhocParams } from './definition.js';
