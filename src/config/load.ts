/**
 * loadConfig: files and directories → layers → merge → RuntimeConfig, collecting every
 * problem instead of throwing. The pipeline per layer is
 *   read → parse (JSON / HCL, normalised) → legacy keys → schema → canonical form (merge.ts);
 * then layers merge in order: `-dev` defaults, files, flags.
 */
import { buildRuntime } from './build.js';
import { DEV_LAYER } from './defaults.js';
import { checkLayer } from './issues.js';
import { applyLegacy } from './legacy.js';
import { canonicalLayer, mergeLayer, type Origins } from './merge.js';
import { parseSource } from './parse.js';
import type { ConfigProblem, LoadResult } from './runtime.js';
import type { FileConfig } from './schema.js';
import { listSources, readSource, type Format } from './sources.js';
import { checkMerged } from './validate.js';

export interface LoadOptions {
  /** -config-file, repeatable, in order. A directory is loaded like -config-dir. */
  files?: string[];
  /** -config-dir, repeatable: every *.json and *.hcl file in it, alphabetical. */
  dirs?: string[];
  /** -config-format: the parser for -config-file paths whose extension is neither. */
  format?: Format;
  /** Values from command-line flags in the file shape; merged last. */
  flags?: FileConfig;
  /** -dev: a self-bootstrapping in-memory server (see DEV_LAYER). */
  dev?: boolean;
  /** Overrides os.hostname() for the default node name (tests). */
  hostname?: string;
}

/** Layer names used in `ConfigProblem.where` besides file paths. */
export const FLAGS_SOURCE = 'flags';
export const DEV_SOURCE = '-dev';

interface Layer {
  name: string;
  data: FileConfig;
}

export async function loadConfig(opts: LoadOptions = {}): Promise<LoadResult> {
  const { sources, errors, warnings } = await listSources(opts);
  const layers: Layer[] = [];
  const loaded: string[] = [];
  let unreadable = errors.length > 0;

  for (const source of sources) {
    const read = await readSource(source);
    if ('error' in read) {
      errors.push(read.error);
      unreadable = true;
      continue;
    }
    const parsed = await parseSource(source.name, source.format, read.text);
    errors.push(...parsed.problems);
    if (!parsed.ok) {
      unreadable = true;
      continue;
    }
    loaded.push(source.name);
    layers.push(checkedLayer(source.name, parsed.value, errors, warnings));
  }
  if (opts.flags !== undefined) {
    layers.push(checkedLayer(FLAGS_SOURCE, structuredClone(opts.flags), errors, warnings));
  }

  const dev = opts.dev ?? false;
  const merged: Record<string, unknown> = {};
  const origins: Origins = new Map();
  if (dev) mergeLayer(merged, structuredClone(DEV_LAYER), DEV_SOURCE, origins);
  for (const layer of layers) mergeLayer(merged, canonicalLayer(layer.data), layer.name, origins);

  const m = merged as FileConfig;
  // A file that could not be read may hold data_dir: do not add "required" noise.
  const cross = checkMerged(m, origins, { dev, requireDataDir: !dev && !unreadable });
  errors.push(...cross.errors);
  warnings.push(...cross.warnings);

  const config = buildRuntime(m, { dev, sources: loaded, hostname: opts.hostname });
  return { config, errors, warnings };
}

function checkedLayer(name: string, raw: unknown, errors: ConfigProblem[], warnings: ConfigProblem[]): Layer {
  warnings.push(...applyLegacy(name, raw));
  const { data, problems } = checkLayer(name, raw);
  errors.push(...problems);
  return { name, data };
}
