import { WeftError } from '../../lib/errors.js';
import type { CheckRow, ServiceRow, WatchHub } from '../../state/index.js';

/** A local service in the catalog row's shape (indexes 0: the agent has none). */
export type AgentServiceRow = Omit<ServiceRow, 'Node'>;
import type { ApiContext } from '../context.js';

/**
 * What the agent-local endpoints need from the agent: its own services and checks, and
 * the operations on them. The agent implements it (src/agent/local); every mutation
 * resolves once the change has been synced to the catalog (or the attempt failed and
 * was logged), as Consul's handlers do.
 */
export interface LocalAgentApi {
  readonly hub: WatchHub;
  /** The hub topic that wakes watchers of one service. */
  serviceTopic(id: string): string;
  services(): AgentServiceRow[];
  service(id: string): AgentServiceRow | undefined;
  checks(): CheckRow[];
  checksOf(serviceId: string): CheckRow[];
  registerService(body: unknown, opts: { token: string; replaceExistingChecks: boolean }): Promise<void>;
  deregisterService(id: string): Promise<void>;
  registerCheck(body: unknown, token: string): Promise<void>;
  deregisterCheck(id: string): Promise<void>;
  updateCheck(id: string, status: 'passing' | 'warning' | 'critical', output: string): Promise<void>;
  nodeMaintenance(enable: boolean, reason: string, token: string): Promise<void>;
  serviceMaintenance(id: string, enable: boolean, reason: string, token: string): Promise<void>;
  reload(): Promise<void>;
  join(address: string): Promise<void>;
  /** `token`: the request's, for the server a client agent asks. */
  forceLeave(node: string, prune: boolean, token?: string): Promise<void>;
}

/** The running agent's local API; agents built without one (tests of other layers) answer 500. */
export function localAgent(ctx: ApiContext): LocalAgentApi {
  const local = (ctx.agent as { local?: LocalAgentApi }).local;
  if (!local) throw new WeftError('INTERNAL', 'this agent has no local state');
  return local;
}
