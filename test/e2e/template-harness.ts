/** Running `weft template` as a long-lived process in end-to-end tests. */
import { spawnWeft, type WeftProcess } from './weft-process.js';

export type TemplateProcess = WeftProcess;

const started = new Set<TemplateProcess>();

export function startTemplate(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): TemplateProcess {
  const t = spawnWeft(['template', ...args], opts);
  started.add(t);
  t.proc.on('exit', () => started.delete(t));
  return t;
}

export async function stopAllTemplates(): Promise<void> {
  await Promise.all([...started].map((t) => t.stop()));
}
