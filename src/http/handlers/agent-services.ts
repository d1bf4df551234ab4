import { createHash } from 'node:crypto';
import { compileFilter } from '../../filter/index.js';
import { parseDuration } from '../../lib/duration.js';
import { WeftError } from '../../lib/errors.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { parseServiceDefinition } from '../../services/index.js';
import { ResultFilter } from '../acl-filter.js';
import { agentServiceJson } from '../shapes/catalog.js';
import { localAgent, type AgentServiceRow, type LocalAgentApi } from './agent-local.js';
import { parseEnable } from './agent-params.js';
import { vetServiceRegistration } from './agent-vet.js';

/** `?filter` over a map's values, as Consul's bexpr filters `map[string]*T`. */
export function filterMap<T>(req: ApiRequest, map: Record<string, T>): Record<string, T> {
  const expr = req.get('filter');
  if (!expr) return map;
  const filter = compileFilter(expr);
  return Object.fromEntries(Object.entries(map).filter(([, v]) => filter.matches(v)));
}

function servicesJson(req: ApiRequest, ctx: ApiContext): Reply {
  const local = localAgent(ctx);
  const datacenter = ctx.agent.config.datacenter;
  const acl = new ResultFilter(req, ctx);
  const out: Record<string, Record<string, unknown>> = {};
  for (const s of local.services()) {
    if (acl.allows({ kind: 'service', name: s.Service })) out[s.ID] = agentServiceJson(s, { datacenter });
  }
  // ACLs first, then ?filter: an expression must not learn about what the token may not see.
  return acl.reply({ body: filterMap(req, out) });
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `/v1/agent/service/:id` with its ContentHash: the hash of the answer itself, so it changes exactly when the answer does. */
function renderService(local: LocalAgentApi, id: string, datacenter: string): { body: Record<string, unknown>; hash: string } {
  const s = local.service(id);
  if (!s) throw new WeftError('NOT_FOUND', `unknown service ID: ${id}`);
  const hash = createHash('sha256').update(canonical(agentServiceJson(s, { datacenter }))).digest('hex').slice(0, 16);
  return { body: agentServiceJson(s, { datacenter, contentHash: hash }), hash };
}

function waitTime(req: ApiRequest, ctx: ApiContext): number {
  const raw = req.get('wait');
  if (!raw) return ctx.limits.defaultWaitMs;
  let ms: number;
  try {
    ms = parseDuration(raw);
  } catch {
    throw new WeftError('BAD_REQUEST', 'Invalid wait time');
  }
  if (ms < 0) throw new WeftError('BAD_REQUEST', 'Invalid wait time');
  return Math.min(ms, ctx.limits.maxWaitMs);
}

/** Hash-based blocking (Consul's agent-local form): waits while the answer's hash is still `?hash`. */
async function serviceJson(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const local = localAgent(ctx);
  const id = req.params.id ?? '';
  const datacenter = ctx.agent.config.datacenter;
  const first = renderService(local, id, datacenter);
  ctx.authz.check(req.token, { kind: 'service', name: String(first.body.Service) }, 'read');
  const hash = req.get('hash');
  let r = first;
  if (hash && hash === r.hash) {
    const waitMs = waitTime(req, ctx);
    const deadline = Date.now() + waitMs + Math.random() * (waitMs / 16);
    while (r.hash === hash) {
      const woke = await waitForChange(local, id, deadline - Date.now(), req.raw.socket);
      if (woke === 'closed') break;
      const s = local.service(id);
      if (!s) break;
      r = renderService(local, id, datacenter);
      if (woke === 'timeout') break;
    }
  }
  return { body: r.body, headers: { 'X-Consul-ContentHash': r.hash } };
}

function waitForChange(local: LocalAgentApi, id: string, ms: number, socket: NodeJS.EventEmitter): Promise<'change' | 'timeout' | 'closed'> {
  if (ms <= 0) return Promise.resolve('timeout');
  return new Promise((resolve) => {
    const done = (why: 'change' | 'timeout' | 'closed') => {
      clearTimeout(timer);
      unsubscribe();
      socket.off('close', onClose);
      resolve(why);
    };
    const onClose = () => done('closed');
    const timer = setTimeout(() => done('timeout'), ms);
    const unsubscribe = local.hub.subscribe([local.serviceTopic(id)], () => done('change'));
    socket.once('close', onClose);
  });
}

async function register(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const body = await req.json();
  if (body === undefined) throw new WeftError('BAD_REQUEST', 'Request decode failed: EOF');
  const local = localAgent(ctx);
  // Parsed here only to vet it (Consul decodes and validates before it authorizes); the agent parses it again.
  vetServiceRegistration(ctx, local, req.token, parseServiceDefinition(body));
  await local.registerService(body, { token: req.token, replaceExistingChecks: req.flag('replace-existing-checks') });
  return {};
}

function serviceOrThrow(local: LocalAgentApi, id: string): AgentServiceRow {
  const s = local.service(id);
  if (!s) throw new WeftError('NOT_FOUND', `Unknown service ID "${id}". Ensure that the service ID is passed, not the service name.`);
  return s;
}

async function deregister(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const local = localAgent(ctx);
  const id = req.params.id ?? '';
  ctx.authz.check(req.token, { kind: 'service', name: serviceOrThrow(local, id).Service }, 'write');
  await local.deregisterService(id);
  return {};
}

async function serviceMaintenance(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const id = req.params.id ?? '';
  if (id === '') throw new WeftError('BAD_REQUEST', 'Missing service ID');
  const enable = parseEnable(req);
  const local = localAgent(ctx);
  const s = local.service(id);
  if (!s) throw new WeftError('NOT_FOUND', `No service registered with ID "${id}"`);
  ctx.authz.check(req.token, { kind: 'service', name: s.Service }, 'write');
  await local.serviceMaintenance(id, enable, req.get('reason') ?? '', req.token);
  return {};
}

export const agentServiceRoutes: Route[] = [
  { method: 'GET', path: '/v1/agent/services', name: 'agent.services', handler: servicesJson },
  { method: 'GET', path: '/v1/agent/service/:id', name: 'agent.service', handler: serviceJson },
  { method: 'PUT', path: '/v1/agent/service/register', name: 'agent.service.register', handler: register },
  { method: 'PUT', path: '/v1/agent/service/deregister/:id', name: 'agent.service.deregister', handler: deregister },
  { method: 'PUT', path: '/v1/agent/service/maintenance/:id', name: 'agent.service.maintenance', handler: serviceMaintenance },
];
