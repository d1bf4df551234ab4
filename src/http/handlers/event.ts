import { WeftError } from '../../lib/errors.js';
import { eventIndex, eventList, newEventId, nodeServices, type EventFireOp, type ServiceRow, type UserEvent } from '../../state/index.js';
import { ResultFilter } from '../acl-filter.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';

/**
 * Consul gossips a payload of at most 512 bytes; events here travel through the log, so
 * Weft allows 64 KiB.
 */
export const EVENT_MAX_PAYLOAD = 64 * 1024;

export function eventJson(e: UserEvent): Record<string, unknown> {
  return {
    ID: e.ID,
    Name: e.Name,
    Payload: e.Payload && e.Payload.length ? Buffer.from(e.Payload).toString('base64') : null,
    NodeFilter: e.NodeFilter,
    ServiceFilter: e.ServiceFilter,
    TagFilter: e.TagFilter,
    Version: e.Version,
    LTime: e.LTime,
  };
}

function compile(pattern: string, what: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (err) {
    // Consul's agent answers a bad filter with a 500 (agent/user_event.go validateUserEventParams).
    throw new WeftError('INTERNAL', `Invalid ${what} filter: ${(err as Error).message}`);
  }
}

async function fire(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  let name: string;
  try {
    name = decodeURIComponent(req.path.slice('/v1/event/fire/'.length));
  } catch {
    throw new WeftError('BAD_REQUEST', `Invalid URL escape: ${req.path}`);
  }
  if (!name) throw new WeftError('BAD_REQUEST', 'Missing name');
  const NodeFilter = req.get('node') ?? '';
  const ServiceFilter = req.get('service') ?? '';
  const TagFilter = req.get('tag') ?? '';
  if (TagFilter && !ServiceFilter) throw new WeftError('INTERNAL', 'Cannot provide tag filter without service filter');
  if (NodeFilter) compile(NodeFilter, 'node');
  if (ServiceFilter) compile(ServiceFilter, 'service');
  if (TagFilter) compile(TagFilter, 'tag');
  ctx.authz.check(req.token, { kind: 'event', name }, 'write');
  const payload = await req.body(EVENT_MAX_PAYLOAD);
  const op: EventFireOp = {
    type: 'event.fire',
    Event: { ID: newEventId(), Name: name, Payload: payload.length ? new Uint8Array(payload) : null, NodeFilter, ServiceFilter, TagFilter, Version: 1 },
  };
  return { body: eventJson(await ctx.store.apply<UserEvent>(op)) };
}

/** Whether this agent would have accepted the event (agent/user_event.go shouldProcessUserEvent). */
function accepted(e: UserEvent, node: string, services: ServiceRow[]): boolean {
  try {
    if (e.NodeFilter && !new RegExp(e.NodeFilter).test(node)) return false;
    if (!e.ServiceFilter) return true;
    const svc = new RegExp(e.ServiceFilter);
    const tag = e.TagFilter ? new RegExp(e.TagFilter) : null;
    return services.some((s) => svc.test(s.Service) && (!tag || s.Tags.some((t) => tag.test(t))));
  } catch {
    return false;
  }
}

/**
 * Events are filtered for the agent the request came to. A client agent that forwards the
 * list to a server names itself in this header, so its own node and services decide.
 */
export const AGENT_NODE_HEADER = 'x-weft-agent-node';

function list(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const name = req.get('name') ?? '';
  const forwardedFor = req.raw.headers[AGENT_NODE_HEADER];
  const node = typeof forwardedFor === 'string' && forwardedFor ? forwardedFor : ctx.agent.config.nodeName;
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const { services } = nodeServices(ctx.store, ws, node);
    const acl = new ResultFilter(req, ctx);
    const events = eventList(ctx.store, ws).filter((e) => (!name || e.Name === name) && accepted(e, node, services) && acl.allows({ kind: 'event', name: e.Name }));
    // Consul's index of an event list comes from the last event's ID, 1 when there is none.
    const index = events.length ? Number(eventIndex(events[events.length - 1].ID)) : 1;
    return { index, reply: acl.reply({ body: events.map(eventJson) }) };
  });
}

export const eventRoutes: Route[] = [
  { method: 'PUT', path: '/v1/event/fire/*', name: 'event.fire', handler: fire, maxBody: EVENT_MAX_PAYLOAD },
  { method: 'GET', path: '/v1/event/list', name: 'event.list', handler: list },
];
