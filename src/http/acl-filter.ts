import type { AccessLevel, Resource } from './authorizer.js';
import type { ApiContext } from './context.js';
import type { ApiRequest } from './request.js';
import type { Reply } from './reply.js';

export const FILTERED_HEADER = 'X-Consul-Results-Filtered-By-ACLs';

/**
 * The silent side of ACLs for one read (Consul's aclfilter): items the token may not see
 * drop out of the answer, and the answer says so with X-Consul-Results-Filtered-By-ACLs —
 * only to callers that authenticated, as Consul's maskResultsFilteredByACLs does, so an
 * anonymous caller cannot probe for what exists. A blocking query makes a new filter for
 * every run, so the header describes the answer it is sent with.
 */
export class ResultFilter {
  private removed = false;

  constructor(
    private readonly req: ApiRequest,
    private readonly ctx: ApiContext,
  ) {}

  /** May the token see this item? A refusal marks the answer as filtered. */
  allows(resource: Resource, access: AccessLevel = 'read'): boolean {
    const ok = this.ctx.authz.allows(this.req.token, resource, access);
    if (!ok) this.removed = true;
    return ok;
  }

  /** All of the resources at once (a service instance needs its node and its service). */
  allowsAll(...resources: Resource[]): boolean {
    return resources.every((r) => this.allows(r));
  }

  /** Marks the answer as filtered where the caller removed something itself. */
  note(removed: boolean): void {
    if (removed) this.removed = true;
  }

  get filtered(): boolean {
    return this.removed;
  }

  /** The reply with the header added when something was removed. */
  reply(reply: Reply): Reply {
    if (!this.removed) return reply;
    const authenticated = this.ctx.authz.isAuthenticated?.(this.req.token) ?? this.req.token !== '';
    if (!authenticated) return reply;
    return { ...reply, headers: { ...reply.headers, [FILTERED_HEADER]: 'true' } };
  }
}

/** A service instance is readable when its node and its service are (CheckServiceNode.CanRead). */
export const instanceResources = (node: string, service: string): Resource[] => [
  { kind: 'node', name: node },
  { kind: 'service', name: service },
];

/** A check is readable when its node is, and its service if it has one (filterHealthChecks). */
export function checkResources(node: string, serviceName: string): Resource[] {
  return serviceName ? instanceResources(node, serviceName) : [{ kind: 'node', name: node }];
}
