import { isValidPolicyName, parseRules } from '../../acl/index.js';
import { WeftError } from '../../lib/errors.js';
import {
  aclPolicyById,
  aclPolicyGetByName,
  aclPolicyList,
  preparePolicy,
  type AclPolicySetOp,
  type PolicyInput,
  type PolicyRow,
} from '../../state/index.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import { isUuid, newAclId, pathTail, requireAcl } from './acl-common.js';
import { bodyReader, decoding } from './acl-decode.js';
import { policyJson, policyStubJson } from './acl-json.js';

const PREFIX = '/v1/acl/policy/';
const bad = (message: string): WeftError => new WeftError('BAD_REQUEST', message);
const policyGone = () => new WeftError('NOT_FOUND', 'Requested policy does not exist: ACL not found');

interface PolicyBody {
  ID: string;
  Name: string;
  Description: string;
  Rules: string;
  Datacenters: string[];
}

function decodePolicy(raw: unknown): PolicyBody {
  const body = bodyReader(raw, 'Policy');
  return decoding('Policy', () => ({
    ID: body.string('ID'),
    Name: body.string('Name'),
    Description: body.string('Description'),
    Rules: body.string('Rules'),
    Datacenters: body.stringList('Datacenters') ?? [],
  }));
}

/** Validates, parses the rules (so no one parses them again), writes, and answers the stored policy. */
async function save(ctx: ApiContext, body: PolicyBody, id: string, create: boolean): Promise<Reply> {
  if (!body.Name) throw bad('Invalid Policy: no Name is set');
  if (!isValidPolicyName(body.Name)) throw bad("Invalid Policy: invalid Name. Only alphanumeric characters, '-' and '_' are allowed");
  const input: PolicyInput = { ID: id, Name: body.Name, Description: body.Description, Rules: body.Rules, Datacenters: body.Datacenters, Parsed: await parseRules(body.Rules) };
  preparePolicy(ctx.store, input, create);
  const op: AclPolicySetOp = { type: 'acl.policy.set', Policy: input, Create: create };
  return { body: policyJson(await ctx.store.apply<PolicyRow>(op)) };
}

export async function createPolicy(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  ctx.authz.check(req.token, { kind: 'acl' }, 'write');
  const body = decodePolicy(await req.json());
  if (body.ID) throw bad('Cannot specify the ID when creating a new policy');
  return save(ctx, body, newAclId((id) => !!aclPolicyById(ctx.store, null, id).policy), true);
}

export async function updatePolicy(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  const id = pathTail(req, PREFIX, 'Missing policy ID');
  ctx.authz.check(req.token, { kind: 'acl' }, 'write');
  const body = decodePolicy(await req.json());
  if (body.ID && body.ID !== id) throw bad('Policy ID in URL and payload do not match');
  if (!isUuid(id)) throw bad('Policy ID invalid UUID');
  return save(ctx, body, id, false);
}

export async function deletePolicy(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  const id = pathTail(req, PREFIX, 'Missing policy ID');
  ctx.authz.check(req.token, { kind: 'acl' }, 'write');
  if (aclPolicyById(ctx.store, null, id).policy) await ctx.store.apply({ type: 'acl.policy.delete', ID: id });
  return { body: true };
}

function read(req: ApiRequest, ctx: ApiContext, lookup: (ws: Parameters<typeof aclPolicyById>[1]) => { index: number; policy?: PolicyRow }): Promise<Reply> {
  ctx.authz.check(req.token, { kind: 'acl' }, 'read');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = lookup(ws);
    if (!r.policy) throw policyGone();
    return { index: r.index, reply: { body: policyJson(r.policy) } };
  });
}

export function readPolicy(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  const id = pathTail(req, PREFIX, 'Missing policy ID');
  return read(req, ctx, (ws) => aclPolicyById(ctx.store, ws, id));
}

/** Names may hold a `/` (`builtin/global-read-only`), escaped or not. */
export function readPolicyByName(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  const name = pathTail(req, `${PREFIX}name/`, 'Missing policy Name');
  return read(req, ctx, (ws) => aclPolicyGetByName(ctx.store, ws, name));
}

export function listPolicies(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  ctx.authz.check(req.token, { kind: 'acl' }, 'read');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = aclPolicyList(ctx.store, ws);
    return { index: r.index, reply: { body: r.policies.map(policyStubJson) } };
  });
}
