import { formatProblem, loadConfig } from '../../../config/index.js';
import { WeftError } from '../../../lib/errors.js';

/**
 * The service definitions of agent config files (`service {}`, `services []`, JSON or HCL),
 * read with the agent's own loader, as `consul services register FILE` does.
 */
export async function servicesFromFiles(files: string[]): Promise<Record<string, unknown>[]> {
  // Dev mode supplies everything a full agent config would require; only the services are used.
  const result = await loadConfig({ files, dev: true });
  const first = result.errors[0];
  if (first) throw new WeftError('CONFIG_INVALID', `Error: ${formatProblem(first)}`);
  return result.config.services;
}

/** A definition's value for `name`, whatever the key's spelling (`ID`, `id`). */
export function definitionField(def: Record<string, unknown>, name: string): string {
  const entry = Object.entries(def).find(([k]) => k.toLowerCase() === name.toLowerCase());
  return typeof entry?.[1] === 'string' ? entry[1] : '';
}
