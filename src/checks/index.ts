/**
 * Health-check runners: "run this check definition, report its status". No knowledge of the
 * catalog or the HTTP API; the agent parses definitions, refuses what it will not run, starts one
 * CheckRunner per check and feeds the updates into its state.
 */
export type {
  AliasSource,
  CheckDefinition,
  CheckRunnerDeps,
  CheckStatus,
  CheckType,
  CheckUpdate,
  ProbeResult,
} from './types.js';
export { CHECK_STATUSES } from './types.js';
export { parseCheckDefinition, DEFAULT_OUTPUT_MAX_SIZE, MIN_INTERVAL_MS, type ParseContext } from './parse.js';
export { isEmptyCheckDefinition } from './raw-fields.js';
export { assertAllowed, type AllowOptions } from './allowed.js';
export { CheckRunner, probeCheck, SCRIPTS_DISABLED } from './runner.js';
export { aliasStatus, type AliasedCheck } from './alias.js';
export type { ProbeContext } from './probes/context.js';
