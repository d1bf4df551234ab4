/**
 * `weft template`: consul-template's renderer. Templates in Go's text/template language
 * (`engine/`) read the catalog, KV and Connect CA through data functions (`functions/`),
 * each one a dependency watched with blocking queries (`deps/`); the runner (`runner/`)
 * re-renders on change, writes files atomically, runs commands and supervises a child.
 */
export { loadRunnerConfig, parseTemplateFlag, parseWait, type FileLayer, type RunnerConfig, type TemplateConfig } from './config/index.js';
export { Runner, type RunnerOptions } from './runner/runner.js';
export { TemplateError } from './engine/index.js';
