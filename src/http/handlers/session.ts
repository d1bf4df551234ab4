import { randomUUID } from 'node:crypto';
import { WeftError } from '../../lib/errors.js';
import { nodeSessions, sessionGet, sessionList, type SessionCreateOp, type SessionRow } from '../../state/index.js';
import { ResultFilter } from '../acl-filter.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { decodeSessionCreate, sessionJson } from './session-decode.js';
import { serverSessions } from './session-runtime.js';

/** The path's tail after `prefix`, decoded; Consul answers 400 with `missing` when it is empty. */
function tail(req: ApiRequest, prefix: string, missing: string): string {
  let rest: string;
  try {
    rest = decodeURIComponent(req.path.slice(prefix.length));
  } catch {
    throw new WeftError('BAD_REQUEST', `Invalid URL escape: ${req.path}`);
  }
  if (!rest) throw new WeftError('BAD_REQUEST', missing);
  return rest;
}

async function create(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const input = decodeSessionCreate(await req.json(), ctx.agent.config.nodeName);
  ctx.authz.check(req.token, { kind: 'session', name: input.Node }, 'write');
  // The ID is decided before the op enters the log, so every replay creates the same session.
  let id = randomUUID();
  while (sessionGet(ctx.store, null, id).session) id = randomUUID();
  const op: SessionCreateOp = { type: 'session.create', Session: { ...input, ID: id } };
  await ctx.store.apply(op);
  serverSessions(ctx).timers.reset({ ID: id, TTL: input.TTL });
  return { body: { ID: id } };
}

async function destroy(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const id = tail(req, '/v1/session/destroy/', 'Missing session');
  const existing = sessionGet(ctx.store, null, id).session;
  if (existing) ctx.authz.check(req.token, { kind: 'session', name: existing.Node }, 'write');
  await ctx.store.apply({ type: 'session.destroy', ID: id });
  serverSessions(ctx).timers.clear(id);
  return { body: true };
}

/** Renewal only restarts the leader's timer: nothing is written (agent/consul/session_endpoint.go Renew). */
async function renew(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const id = tail(req, '/v1/session/renew/', 'Missing session');
  const { session } = sessionGet(ctx.store, null, id);
  if (!session) return { status: 404, raw: `Session id '${id}' not found` };
  ctx.authz.check(req.token, { kind: 'session', name: session.Node }, 'write');
  serverSessions(ctx).timers.reset(session);
  return { body: [sessionJson(session)] };
}

/** Sessions the token may read (session:read on their node); the others drop out silently. */
function visible(req: ApiRequest, ctx: ApiContext, rows: SessionRow[]): Reply {
  const acl = new ResultFilter(req, ctx);
  return acl.reply({ body: rows.filter((s) => acl.allows({ kind: 'session', name: s.Node })).map(sessionJson) });
}

function info(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const id = tail(req, '/v1/session/info/', 'Missing session');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = sessionGet(ctx.store, ws, id);
    return { index: r.index, reply: visible(req, ctx, r.session ? [r.session] : []) };
  });
}

function forNode(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const node = tail(req, '/v1/session/node/', 'Missing node name');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = nodeSessions(ctx.store, ws, node);
    return { index: r.index, reply: visible(req, ctx, r.sessions) };
  });
}

function list(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = sessionList(ctx.store, ws);
    return { index: r.index, reply: visible(req, ctx, r.sessions) };
  });
}

export const sessionRoutes: Route[] = [
  { method: 'PUT', path: '/v1/session/create', name: 'session.create', handler: create },
  { method: 'PUT', path: '/v1/session/destroy/*', name: 'session.destroy', handler: destroy },
  { method: 'PUT', path: '/v1/session/renew/*', name: 'session.renew', handler: renew },
  { method: 'GET', path: '/v1/session/info/*', name: 'session.info', handler: info },
  { method: 'GET', path: '/v1/session/node/*', name: 'session.node', handler: forNode },
  { method: 'GET', path: '/v1/session/list', name: 'session.list', handler: list },
];
