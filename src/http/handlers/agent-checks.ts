import { WeftError } from '../../lib/errors.js';
import { aggregateStatus, type CheckRow, type HealthStatus } from '../../state/index.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { agentServiceJson, healthCheckJson } from '../shapes/catalog.js';
import { ResultFilter } from '../acl-filter.js';
import { localAgent, type LocalAgentApi } from './agent-local.js';
import { filterMap } from './agent-services.js';
import { vetCheckRegistration, vetCheckUpdate } from './agent-vet.js';

const STATUSES = new Set(['passing', 'warning', 'critical']);

function checksJson(req: ApiRequest, ctx: ApiContext): Reply {
  const acl = new ResultFilter(req, ctx);
  const out: Record<string, Record<string, unknown>> = {};
  for (const c of localAgent(ctx).checks()) {
    const resource = c.ServiceName ? ({ kind: 'service', name: c.ServiceName } as const) : ({ kind: 'node', name: c.Node } as const);
    if (acl.allows(resource)) out[c.CheckID] = healthCheckJson(c);
  }
  return acl.reply({ body: filterMap(req, out) });
}

/** Consul's agent service health: the service's checks and the node's decide; HTTP status follows the worst. */
function serviceHealth(local: LocalAgentApi, id: string): { code: number; status: HealthStatus; checks: CheckRow[] } {
  const checks = [...local.checksOf(''), ...local.checksOf(id)];
  const status = aggregateStatus(checks);
  const code = status === 'passing' ? 200 : status === 'warning' ? 429 : 503;
  return { code, status, checks };
}

function wantsText(req: ApiRequest): boolean {
  if ((req.raw.headers.accept ?? '').startsWith('text/plain')) return true;
  return req.get('format') === 'text';
}

function healthById(req: ApiRequest, ctx: ApiContext): Reply {
  const id = req.params.id ?? '';
  if (id === '') throw new WeftError('BAD_REQUEST', 'Missing serviceID');
  const local = localAgent(ctx);
  const s = local.service(id);
  if (!s) {
    const reason = `ServiceId ${id} not found`;
    if (wantsText(req)) return { status: 404, raw: reason, contentType: 'text/plain' };
    return { status: 404, body: { AggregatedStatus: 'critical', Service: null, Checks: null } };
  }
  ctx.authz.check(req.token, { kind: 'service', name: s.Service }, 'read');
  const h = serviceHealth(local, id);
  if (wantsText(req)) return { status: h.code, raw: h.status, contentType: 'text/plain' };
  return {
    status: h.code,
    body: { AggregatedStatus: h.status, Service: agentServiceJson(s, { datacenter: ctx.agent.config.datacenter }), Checks: h.checks.map(healthCheckJson) },
  };
}

function healthByName(req: ApiRequest, ctx: ApiContext): Reply {
  const name = req.params.name ?? '';
  if (name === '') throw new WeftError('BAD_REQUEST', 'Missing service Name');
  ctx.authz.check(req.token, { kind: 'service', name }, 'read');
  const local = localAgent(ctx);
  let code = 404;
  let status: string = `ServiceName ${name} Not Found`;
  const results = [];
  for (const s of local.services().filter((x) => x.Service === name)) {
    const h = serviceHealth(local, s.ID);
    results.push({ AggregatedStatus: h.status, Service: agentServiceJson(s, { datacenter: ctx.agent.config.datacenter }), Checks: h.checks.map(healthCheckJson) });
    // Worst wins: passing 200 < warning 429 < critical 503.
    if (code === 404 || h.code > code) {
      code = h.code;
      status = h.status;
    }
  }
  if (wantsText(req)) return { status: code, raw: status, contentType: 'text/plain' };
  return { status: code, body: results };
}

/** A field of a check body in any of Consul's spellings (`ServiceID`, `service_id`, `serviceid`). */
function bodyField(body: unknown, name: string): string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return '';
  const v = Object.entries(body as Record<string, unknown>).find(([k]) => k.replace(/_/g, '').toLowerCase() === name)?.[1];
  return typeof v === 'string' ? v : '';
}

async function registerCheck(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const body = await req.json();
  if (body === undefined) throw new WeftError('BAD_REQUEST', 'Request decode failed: EOF');
  const local = localAgent(ctx);
  const id = bodyField(body, 'id') || bodyField(body, 'checkid') || bodyField(body, 'name');
  vetCheckRegistration(ctx, local, req.token, { id, serviceId: bodyField(body, 'serviceid') });
  await local.registerCheck(body, req.token);
  return {};
}

async function deregisterCheck(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const local = localAgent(ctx);
  const id = req.params.id ?? '';
  vetCheckUpdate(ctx, local, req.token, id);
  await local.deregisterCheck(id);
  return {};
}

function ttl(status: 'passing' | 'warning' | 'critical') {
  return async (req: ApiRequest, ctx: ApiContext): Promise<Reply> => {
    const local = localAgent(ctx);
    const id = req.params.id ?? '';
    vetCheckUpdate(ctx, local, req.token, id);
    await local.updateCheck(id, status, req.get('note') ?? '');
    return {};
  };
}

async function updateCheck(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const body = (await req.json()) ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new WeftError('BAD_REQUEST', 'Request decode failed: expected an object');
  const field = (name: string) => Object.entries(body as Record<string, unknown>).find(([k]) => k.toLowerCase() === name)?.[1];
  const status = field('status');
  if (typeof status !== 'string' || !STATUSES.has(status)) throw new WeftError('BAD_REQUEST', `Invalid check status: '${typeof status === 'string' ? status : ''}'`);
  const output = field('output');
  if (output !== undefined && output !== null && typeof output !== 'string') throw new WeftError('BAD_REQUEST', 'Request decode failed: Output must be a string');
  const local = localAgent(ctx);
  const id = req.params.id ?? '';
  vetCheckUpdate(ctx, local, req.token, id);
  await local.updateCheck(id, status as 'passing' | 'warning' | 'critical', typeof output === 'string' ? output : '');
  return {};
}

export const agentCheckRoutes: Route[] = [
  { method: 'GET', path: '/v1/agent/checks', name: 'agent.checks', handler: checksJson },
  { method: 'PUT', path: '/v1/agent/check/register', name: 'agent.check.register', handler: registerCheck },
  { method: 'PUT', path: '/v1/agent/check/deregister/:id', name: 'agent.check.deregister', handler: deregisterCheck },
  { method: 'PUT', path: '/v1/agent/check/pass/:id', name: 'agent.check.pass', handler: ttl('passing') },
  { method: 'PUT', path: '/v1/agent/check/warn/:id', name: 'agent.check.warn', handler: ttl('warning') },
  { method: 'PUT', path: '/v1/agent/check/fail/:id', name: 'agent.check.fail', handler: ttl('critical') },
  { method: 'PUT', path: '/v1/agent/check/update/:id', name: 'agent.check.update', handler: updateCheck },
  { method: 'GET', path: '/v1/agent/health/service/id/:id', name: 'agent.health.service.id', handler: healthById },
  { method: 'GET', path: '/v1/agent/health/service/name/:name', name: 'agent.health.service.name', handler: healthByName },
];
