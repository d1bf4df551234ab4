import { isValidRoleName } from '../../acl/index.js';
import { WeftError } from '../../lib/errors.js';
import { aclRoleById, aclRoleGetByName, aclRoleList, prepareRole, type AclRoleSetOp, type RoleInput, type RoleRow } from '../../state/index.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import { isUuid, newAclId, pathTail, requireAcl } from './acl-common.js';
import { bodyReader, decodeLinks, decodeNodeIdentities, decodeServiceIdentities, decoding } from './acl-decode.js';
import { roleJson } from './acl-json.js';

const PREFIX = '/v1/acl/role/';
const bad = (message: string): WeftError => new WeftError('BAD_REQUEST', message);
const roleGone = () => new WeftError('NOT_FOUND', 'Requested role does not exist: ACL not found');

async function write(req: ApiRequest, ctx: ApiContext, urlId: string): Promise<Reply> {
  requireAcl(ctx);
  ctx.authz.check(req.token, { kind: 'acl' }, 'write');
  const body = bodyReader(await req.json(), 'Role');
  const input = decoding('Role', () => ({
    ID: body.string('ID'),
    Name: body.string('Name'),
    Description: body.string('Description'),
    Policies: decodeLinks(body, 'Policies'),
    ServiceIdentities: decodeServiceIdentities(body, 'role'),
    NodeIdentities: decodeNodeIdentities(body, 'role'),
  })) satisfies RoleInput;
  if (input.ID && input.ID !== urlId) throw bad('Role ID in URL and payload do not match');
  if (!input.Name) throw bad('Invalid Role: no Name is set');
  if (!isValidRoleName(input.Name)) throw bad("Invalid Role: invalid Name. Only alphanumeric characters, '-' and '_' are allowed");
  const create = urlId === '';
  if (create) input.ID = newAclId((id) => !!aclRoleById(ctx.store, null, id).role);
  else if (!isUuid(urlId)) throw bad('Role ID invalid UUID');
  else input.ID = urlId;
  prepareRole(ctx.store, input, create);
  const op: AclRoleSetOp = { type: 'acl.role.set', Role: input, Create: create };
  const row = await ctx.store.apply<RoleRow>(op);
  return { body: roleJson(aclRoleById(ctx.store, null, row.ID).role!) };
}

export const createRole = (req: ApiRequest, ctx: ApiContext): Promise<Reply> => write(req, ctx, '');
export const updateRole = (req: ApiRequest, ctx: ApiContext): Promise<Reply> => write(req, ctx, pathTail(req, PREFIX, 'Missing role ID'));

export async function deleteRole(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  const id = pathTail(req, PREFIX, 'Missing role ID');
  ctx.authz.check(req.token, { kind: 'acl' }, 'write');
  if (aclRoleById(ctx.store, null, id).role) await ctx.store.apply({ type: 'acl.role.delete', ID: id });
  return { body: true };
}

function read(req: ApiRequest, ctx: ApiContext, lookup: (ws: Parameters<typeof aclRoleById>[1]) => { index: number; role?: RoleRow }): Promise<Reply> {
  ctx.authz.check(req.token, { kind: 'acl' }, 'read');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = lookup(ws);
    if (!r.role) throw roleGone();
    return { index: r.index, reply: { body: roleJson(r.role) } };
  });
}

export function readRole(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  const id = pathTail(req, PREFIX, 'Missing role ID');
  return read(req, ctx, (ws) => aclRoleById(ctx.store, ws, id));
}

export function readRoleByName(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  const name = pathTail(req, `${PREFIX}name/`, 'Missing role Name');
  return read(req, ctx, (ws) => aclRoleGetByName(ctx.store, ws, name));
}

export function listRoles(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  ctx.authz.check(req.token, { kind: 'acl' }, 'read');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = aclRoleList(ctx.store, ws, req.get('policy'));
    return { index: r.index, reply: { body: r.roles.map(roleJson) } };
  });
}
