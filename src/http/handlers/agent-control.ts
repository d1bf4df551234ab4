import { WeftError } from '../../lib/errors.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { localAgent } from './agent-local.js';
import { parseEnable } from './agent-params.js';

const agentWrite = (req: ApiRequest, ctx: ApiContext) => ctx.authz.check(req.token, { kind: 'agent', name: ctx.agent.config.nodeName }, 'write');

async function reload(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  agentWrite(req, ctx);
  await localAgent(ctx).reload();
  return {};
}

async function join(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  agentWrite(req, ctx);
  if (req.has('wan')) throw new WeftError('BAD_REQUEST', 'WAN join is not supported by Weft: one datacenter per cluster');
  const addr = decodeURIComponent(req.path.slice('/v1/agent/join/'.length));
  if (addr === '') throw new WeftError('BAD_REQUEST', 'Missing address to join');
  await localAgent(ctx).join(addr);
  return {};
}

async function forceLeave(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  ctx.authz.check(req.token, { kind: 'operator' }, 'write');
  const node = req.params.node ?? '';
  if (node === '') throw new WeftError('BAD_REQUEST', 'Missing node name');
  await localAgent(ctx).forceLeave(node, req.has('prune'), req.token);
  return {};
}

async function nodeMaintenance(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const enable = parseEnable(req);
  ctx.authz.check(req.token, { kind: 'node', name: ctx.agent.config.nodeName }, 'write');
  await localAgent(ctx).nodeMaintenance(enable, req.get('reason') ?? '', req.token);
  return {};
}

export const agentControlRoutes: Route[] = [
  { method: 'PUT', path: '/v1/agent/reload', name: 'agent.reload', handler: reload },
  // The address may hold ':' and '[]' (`[::1]:8301`): take the rest of the path.
  { method: 'PUT', path: '/v1/agent/join/*', name: 'agent.join', handler: join },
  { method: 'PUT', path: '/v1/agent/force-leave/:node', name: 'agent.force-leave', handler: forceLeave },
  { method: 'PUT', path: '/v1/agent/maintenance', name: 'agent.maintenance', handler: nodeMaintenance },
];
