import { WeftError } from '../../lib/errors.js';
import {
  ANONYMOUS_TOKEN_ID,
  aclTokenByAccessor,
  aclTokenBySecret,
  aclTokenList,
  prepareToken,
  type AclTokenSetOp,
  type TokenInput,
  type TokenRow,
} from '../../state/index.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import { isUuid, newAclId, pathTail, requireAcl, showsSecrets } from './acl-common.js';
import { tokenJson } from './acl-json.js';
import { checkChosenId, decodeTokenBody, newExpiration } from './acl-token-decode.js';
import { expandedToken } from './acl-token-expanded.js';

const PREFIX = '/v1/acl/token/';
const live = (t: TokenRow | undefined): TokenRow | undefined => (t && t.ExpirationTime && Date.parse(t.ExpirationTime) <= Date.now() ? undefined : t);
const tokenGone = () => new WeftError('NOT_FOUND', 'Requested token does not exist: ACL not found');

/** Writes a token through the log and answers it as stored, names filled in. */
async function save(ctx: ApiContext, input: TokenInput, create: boolean): Promise<Reply> {
  prepareToken(ctx.store, input, create); // refuses bad input before it reaches the log
  const op: AclTokenSetOp = { type: 'acl.token.set', Token: input, Create: create };
  const row = await ctx.store.apply<TokenRow>(op);
  return { body: tokenJson(aclTokenByAccessor(ctx.store, null, row.AccessorID).token!, true) };
}

const taken = (ctx: ApiContext) => (id: string) => !!aclTokenByAccessor(ctx.store, null, id).token || !!aclTokenBySecret(ctx.store, null, id).token;

export async function createToken(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  ctx.authz.check(req.token, { kind: 'acl' }, 'write');
  const body = decodeTokenBody(await req.json());
  if (body.AccessorID) checkChosenId(body.AccessorID, 'AccessorID');
  if (body.SecretID) checkChosenId(body.SecretID, 'SecretID');
  const created = new Date();
  const input: TokenInput = {
    AccessorID: body.AccessorID || newAclId(taken(ctx)),
    SecretID: body.SecretID || newAclId(taken(ctx)),
    Description: body.Description,
    Policies: body.Policies,
    Roles: body.Roles,
    ServiceIdentities: body.ServiceIdentities,
    NodeIdentities: body.NodeIdentities,
    Local: body.Local,
    CreateTime: created.toISOString(),
  };
  const expires = newExpiration(body, created);
  if (expires) input.ExpirationTime = expires;
  return save(ctx, input, true);
}

export async function updateToken(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  const id = pathTail(req, PREFIX, 'Missing token AccessorID');
  ctx.authz.check(req.token, { kind: 'acl' }, 'write');
  const body = decodeTokenBody(await req.json());
  if (body.AccessorID && body.AccessorID !== id) throw new WeftError('BAD_REQUEST', 'Token Accessor ID in URL and payload do not match');
  if (!isUuid(id)) throw new WeftError('BAD_REQUEST', 'AccessorID is not a valid UUID');
  const existing = live(aclTokenByAccessor(ctx.store, null, id).token);
  if (!existing) throw new WeftError('NOT_FOUND', `Cannot find token "${id}"`);
  if (body.ExpirationTtlMs !== 0) throw new WeftError('BAD_REQUEST', `Cannot change expiration time of ${id}`);
  const input: TokenInput = {
    AccessorID: id,
    SecretID: body.SecretID || existing.SecretID,
    Description: body.Description,
    Policies: body.Policies,
    Roles: body.Roles,
    ServiceIdentities: body.ServiceIdentities,
    NodeIdentities: body.NodeIdentities,
    Local: body.Local,
    CreateTime: existing.CreateTime,
  };
  // A token keeps the expiration it was created with; restating it is fine, changing it is not.
  if (body.ExpirationTime && (!existing.ExpirationTime || Date.parse(body.ExpirationTime) !== Date.parse(existing.ExpirationTime))) {
    throw new WeftError('BAD_REQUEST', `Cannot change expiration time of ${id}`);
  }
  if (existing.ExpirationTime) input.ExpirationTime = existing.ExpirationTime;
  return save(ctx, input, false);
}

export async function cloneToken(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  const id = req.path.slice(PREFIX.length, -'/clone'.length);
  ctx.authz.check(req.token, { kind: 'acl' }, 'write');
  const body = decodeTokenBody(await req.json());
  const source = live(aclTokenByAccessor(ctx.store, null, id).token);
  if (!source) throw new WeftError('ACL_NOT_FOUND', 'ACL not found');
  const created = new Date();
  const input: TokenInput = {
    AccessorID: newAclId(taken(ctx)),
    SecretID: newAclId(taken(ctx)),
    Description: body.Description || source.Description,
    Policies: source.Policies.map((p) => ({ ID: p.ID })),
    Roles: source.Roles.map((r) => ({ ID: r.ID })),
    ServiceIdentities: source.ServiceIdentities,
    NodeIdentities: source.NodeIdentities,
    Local: source.Local,
    CreateTime: created.toISOString(),
  };
  const expires = source.ExpirationTime && newExpiration({ ExpirationTime: source.ExpirationTime, ExpirationTtlMs: 0 }, created);
  if (expires) input.ExpirationTime = expires;
  return save(ctx, input, true);
}

export function readToken(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const acl = requireAcl(ctx);
  const id = pathTail(req, PREFIX, 'Missing token AccessorID');
  ctx.authz.check(req.token, { kind: 'acl' }, 'read');
  const secrets = showsSecrets(req, ctx);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = aclTokenByAccessor(ctx.store, ws, id);
    const token = live(r.token);
    if (!token) throw tokenGone();
    const json = tokenJson(token, secrets);
    return { index: r.index, reply: { body: req.has('expanded') ? expandedToken(ctx, acl, token, json) : json } };
  });
}

/** The caller's own token. Having the secret is the permission, so it is shown. */
export function selfToken(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const acl = requireAcl(ctx);
  const secret = req.token || acl.agentTokens.get('default');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = aclTokenBySecret(ctx.store, ws, secret);
    const token = secret ? live(r.token) : undefined;
    if (!token) throw new WeftError('NOT_FOUND', 'Supplied token does not exist');
    return { index: r.index, reply: { body: tokenJson(token, true) } };
  });
}

export async function deleteToken(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  const id = pathTail(req, PREFIX, 'Missing token AccessorID');
  ctx.authz.check(req.token, { kind: 'acl' }, 'write');
  if (!isUuid(id)) throw new WeftError('BAD_REQUEST', 'Accessor ID is missing or an invalid UUID');
  if (id === ANONYMOUS_TOKEN_ID) throw new WeftError('BAD_REQUEST', 'Delete operation not permitted on the anonymous token');
  const existing = aclTokenByAccessor(ctx.store, null, id).token;
  if (!existing) return { body: true };
  if (existing.SecretID === req.token) throw new WeftError('BAD_REQUEST', "Deletion of the request's authorization token is not permitted");
  await ctx.store.apply({ type: 'acl.token.delete', ID: id });
  return { body: true };
}

export function listTokens(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  ctx.authz.check(req.token, { kind: 'acl' }, 'read');
  const secrets = showsSecrets(req, ctx);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = aclTokenList(ctx.store, ws, { policy: req.get('policy'), role: req.get('role'), serviceName: req.get('servicename') });
    // Weft has no auth methods, so no token was made by one.
    const tokens = req.get('authmethod') ? [] : r.tokens.filter((t) => live(t));
    return { index: r.index, reply: { body: tokens.map((t) => tokenJson(t, secrets)) } };
  });
}
