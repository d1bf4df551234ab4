import { WeftError } from '../lib/errors.js';
import type { CheckDefinition } from './types.js';

export interface AllowOptions {
  /** Whether this agent runs script checks from `source` (`enable_script_checks`, or `enable_local_script_checks` for config files). */
  scriptChecksEnabled: boolean;
  /** Where the registration comes from: the HTTP API (default) or the agent's own config files. */
  source?: 'remote' | 'local';
}

/**
 * Refuses, at registration, a check this agent will not run: script checks unless enabled, as
 * Consul does (an HTTP API that runs arbitrary commands is a remote-code-execution hole). Weft
 * answers 400 where Consul answers 500; the message is Consul's.
 */
export function assertAllowed(def: CheckDefinition, opts: AllowOptions): void {
  if (def.type !== 'script' || opts.scriptChecksEnabled) return;
  throw new WeftError(
    'BAD_REQUEST',
    opts.source === 'local'
      ? "Scripts are disabled on this agent; to enable, configure 'enable_script_checks' or 'enable_local_script_checks' to true"
      : "Scripts are disabled on this agent from remote calls; to enable, configure 'enable_script_checks' to true",
  );
}
