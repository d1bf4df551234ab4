/** `weft template` configuration: consul-template's files and flags, resolved. */
import type { FileLayer } from './schema.js';
import { configFiles, loadConfigFile } from './load.js';
import { mergeLayers, resolveConfig } from './resolve.js';
import type { RunnerConfig } from './types.js';

export type { FileLayer } from './schema.js';
export { mergeLayers, resolveConfig } from './resolve.js';
export { parseTemplateFlag, parseWait } from './syntax.js';
export * from './types.js';

/** Loads `-config` paths left to right, then lays `cli` (from the flags) on top. */
export async function loadRunnerConfig(paths: string[], cli: FileLayer, mode: { once: boolean; dry: boolean }): Promise<RunnerConfig> {
  const layers: FileLayer[] = [];
  for (const path of paths) for (const file of await configFiles(path)) layers.push(await loadConfigFile(file));
  layers.push(cli);
  return resolveConfig(mergeLayers(layers), mode);
}
