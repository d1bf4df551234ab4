/**
 * Service definitions: parsing registrations (HTTP bodies, config files, CLI files) into
 * the catalog's shape, and the sidecar expansion of `connect { sidecar_service {} }`.
 */
export { parseServiceDefinition, assertValidProxy, addDefaultTaggedAddresses, SERVICE_KINDS, type ServiceDefinition } from './definition.js';
export { expandSidecar, allocateSidecarPort, sidecarIdFor, SIDECAR_SUFFIX, type SidecarPortAllocator } from './sidecar.js';
export { Fields, fieldKey } from './fields.js';
