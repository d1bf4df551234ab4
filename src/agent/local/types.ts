import type { CheckDefinition } from '../../checks/index.js';
import type { CheckRow, ServiceInput } from '../../state/index.js';

/** Where a registration came from: the agent's config files, or the HTTP API (Consul's ConfigSourceLocal/Remote). */
export type RegistrationSource = 'local' | 'remote';

/** A service this agent owns. */
export interface LocalService {
  readonly service: ServiceInput;
  readonly source: RegistrationSource;
  readonly token: string;
  /** The service this one was registered as the sidecar of; removed with it. */
  readonly sidecarOf?: string;
}

/**
 * A check this agent owns. `check` has the catalog row's shape (indexes 0) so the API shapes
 * render it as they render catalog checks. Rows are replaced, never mutated.
 */
export interface LocalCheck {
  readonly check: CheckRow;
  readonly source: RegistrationSource;
  readonly token: string;
  /** How to run it; null for checks nothing runs (maintenance). */
  readonly def: CheckDefinition | null;
  /** The definition as registered, kept to persist and re-create the check. */
  readonly raw: Record<string, unknown> | null;
}

/** The node's services and checks as the catalog should hold them. */
export interface NodeState {
  services: ServiceInput[];
  checks: CheckRow[];
}
