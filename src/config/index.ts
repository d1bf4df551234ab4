/**
 * Agent configuration: Consul's JSON/HCL files and flags → a typed `RuntimeConfig`.
 * The only reader of config files; subsystems receive their slice of the result.
 */
export { loadConfig, type LoadOptions } from './load.js';
export { validateConfig, formatProblem } from './validate.js';
export { defaultConfig, DEV_LAYER, REQUEST_MAX_BODY_BYTES } from './defaults.js';
export { fileSchema, type FileConfig } from './schema.js';
export type { Format } from './sources.js';
export * from './runtime.js';
