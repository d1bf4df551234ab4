/**
 * Consul's wire shapes for catalog, health and agent answers, built from store rows.
 * Shapes are cached per row and shared between answers: never mutate what these return.
 */
export { nodeJson } from './node.js';
export { nodeServiceJson, serviceNodeJson, agentServiceJson, type AgentServiceOptions } from './service.js';
export { healthCheckJson, checkDefinitionJson } from './check.js';
export { healthEntryJson } from './health.js';
export { catalogProxyJson, agentProxyJson, connectJson } from './proxy.js';
export { jsonText, healthEntryText, serviceNodeText, arrayReply } from './json-text.js';
