import { randomUUID } from 'node:crypto';
import { decideIntention, rfc3339 } from '../../connect/index.js';
import { compileFilter } from '../../filter/index.js';
import { WeftError } from '../../lib/errors.js';
import { intentionById, intentionExact, intentionList, intentionMatch, type Intention, type LegacyIntention } from '../../state/index.js';
import { ResultFilter } from '../acl-filter.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { serverConnect } from './connect-runtime.js';
import { decodeIntentionValue, decodeLegacyIntention, parseTarget, requiredParam, type LegacyBody } from './intentions-decode.js';

/** A Weft addition on match answers: the default intention decision (`allow` or `deny`). */
export const DEFAULT_POLICY_HEADER = 'X-Weft-Default-Intention-Policy';

const notFound = (): WeftError => new WeftError('NOT_FOUND', 'Intention not found');

/**
 * Intention.CanRead: read on either end (source or destination) lets a token see the whole
 * intention, so both sides can learn why a connection was allowed or refused.
 */
function readable(req: ApiRequest, ctx: ApiContext, i: Pick<Intention, 'SourceName' | 'DestinationName'>, acl?: ResultFilter): boolean {
  const allows = (name: string) => ctx.authz.allows(req.token, { kind: 'intention', name }, 'read');
  const ok = (!!i.SourceName && allows(i.SourceName)) || (!!i.DestinationName && allows(i.DestinationName));
  acl?.note(!ok);
  return ok;
}

/** The refusal of a single intention the token may not read, worded as a check on its destination would be. */
function checkReadable(req: ApiRequest, ctx: ApiContext, i: Pick<Intention, 'SourceName' | 'DestinationName'>): void {
  if (!readable(req, ctx, i)) ctx.authz.check(req.token, { kind: 'intention', name: i.DestinationName }, 'read');
}

function list(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  serverConnect(ctx);
  const filter = req.get('filter') ? compileFilter(req.get('filter')!) : null;
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = intentionList(ctx.store, ws);
    const acl = new ResultFilter(req, ctx);
    const visible = r.intentions.filter((i) => readable(req, ctx, i, acl) && (!filter || filter.matches(i)));
    return { index: r.index, reply: acl.reply({ body: visible }) };
  });
}

function legacyOp(b: LegacyBody, id: string): LegacyIntention {
  return { ID: id, SourceName: b.source, DestinationName: b.destination, ...b.value, Meta: b.meta };
}

/** POST /v1/connect/intentions: the legacy create, which gives the intention an ID. */
async function create(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  serverConnect(ctx);
  const b = decodeLegacyIntention(await req.json());
  if (b.id) throw new WeftError('BAD_REQUEST', 'ID must be empty when creating a new intention');
  ctx.authz.check(req.token, { kind: 'intention', name: b.destination }, 'write');
  const id = await ctx.store.apply<string>({ type: 'intention.legacyCreate', Intention: legacyOp(b, randomUUID()), CreatedAt: rfc3339(new Date()) });
  return { body: { ID: id } };
}

function byId(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  serverConnect(ctx);
  const id = req.params.id ?? '';
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = intentionById(ctx.store, ws, id);
    if (!r.intention) throw notFound();
    checkReadable(req, ctx, r.intention);
    return { index: r.index, reply: { body: r.intention } };
  });
}

async function updateById(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  serverConnect(ctx);
  const id = req.params.id ?? '';
  const b = decodeLegacyIntention(await req.json());
  const existing = intentionById(ctx.store, null, id).intention;
  // Both the intention as it is and as it would become: moving one to another destination needs write on both.
  if (existing) ctx.authz.check(req.token, { kind: 'intention', name: existing.DestinationName }, 'write');
  ctx.authz.check(req.token, { kind: 'intention', name: b.destination }, 'write');
  await ctx.store.apply({ type: 'intention.legacyUpdate', Intention: legacyOp(b, id), UpdatedAt: rfc3339(new Date()) });
  return { body: { ID: id } };
}

async function deleteById(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  serverConnect(ctx);
  const id = req.params.id ?? '';
  const existing = intentionById(ctx.store, null, id).intention;
  if (existing) ctx.authz.check(req.token, { kind: 'intention', name: existing.DestinationName }, 'write');
  await ctx.store.apply({ type: 'intention.legacyDelete', ID: id });
  return { body: true };
}

function exactPair(req: ApiRequest): { source: string; destination: string } {
  const source = requiredParam(req, 'source');
  const destination = requiredParam(req, 'destination');
  return { source: parseTarget(source, 'source'), destination: parseTarget(destination, 'destination') };
}

function getExact(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  serverConnect(ctx);
  const { source, destination } = exactPair(req);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = intentionExact(ctx.store, ws, source, destination);
    if (!r.intention) throw notFound();
    checkReadable(req, ctx, r.intention);
    return { index: r.index, reply: { body: r.intention } };
  });
}

/** PUT /v1/connect/intentions/exact: the 1.9+ upsert by name, into the destination's service-intentions entry. */
async function putExact(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  serverConnect(ctx);
  const { source, destination } = exactPair(req);
  const { value, meta } = decodeIntentionValue(await req.json());
  ctx.authz.check(req.token, { kind: 'intention', name: destination }, 'write');
  await ctx.store.apply({ type: 'intention.upsert', Source: source, Destination: destination, Value: value, Meta: meta });
  return { body: true };
}

async function deleteExact(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  serverConnect(ctx);
  const { source, destination } = exactPair(req);
  ctx.authz.check(req.token, { kind: 'intention', name: destination }, 'write');
  await ctx.store.apply({ type: 'intention.delete', Source: source, Destination: destination });
  return { body: true };
}

/** GET /v1/connect/intentions/match?by=source|destination&name=...: per name, the intentions in evaluation order. */
function match(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const rt = serverConnect(ctx);
  const by = req.all('by');
  if (by.length !== 1) throw new WeftError('BAD_REQUEST', "required query parameter 'by' not set");
  if (by[0] !== 'source' && by[0] !== 'destination') throw new WeftError('BAD_REQUEST', "'by' parameter must be one of 'source' or 'destination'");
  const names = req.all('name');
  if (!names.length) throw new WeftError('BAD_REQUEST', "required query parameter 'name' not set");
  const parsed = names.map((n) => parseTarget(n, 'name'));
  for (const n of parsed) ctx.authz.check(req.token, { kind: 'intention', name: n }, 'read');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = intentionMatch(ctx.store, ws, by[0] as 'source' | 'destination', parsed);
    const body: Record<string, Intention[]> = {};
    names.forEach((n, i) => (body[n] = r.matches[i]));
    // What applies when none of these match, so a proxy can decide without asking again.
    return { index: r.index, reply: { body, headers: { [DEFAULT_POLICY_HEADER]: rt.defaultPolicy.allow ? 'allow' : 'deny' } } };
  });
}

/** GET /v1/connect/intentions/check: would a connection be allowed (L7 intentions count as deny)? */
function check(req: ApiRequest, ctx: ApiContext): Reply {
  const rt = serverConnect(ctx);
  const sourceType = req.get('source-type') ?? 'consul';
  if (sourceType !== 'consul') throw new WeftError('BAD_REQUEST', `unsupported SourceType: ${JSON.stringify(sourceType)}`);
  const { source, destination } = exactPair(req);
  ctx.authz.check(req.token, { kind: 'service', name: destination }, 'read');
  const r = intentionMatch(ctx.store, null, 'destination', [destination]);
  return { index: r.index, body: { Allowed: decideIntention(r.matches[0], source, destination, rt.defaultPolicy).allowed } };
}

export const intentionRoutes: Route[] = [
  { method: 'GET', path: '/v1/connect/intentions', name: 'intentions.list', handler: list },
  { method: 'POST', path: '/v1/connect/intentions', name: 'intentions.create', handler: create },
  { method: 'GET', path: '/v1/connect/intentions/match', name: 'intentions.match', handler: match },
  { method: 'GET', path: '/v1/connect/intentions/check', name: 'intentions.check', handler: check },
  { method: 'GET', path: '/v1/connect/intentions/exact', name: 'intentions.exact.get', handler: getExact },
  { method: 'PUT', path: '/v1/connect/intentions/exact', name: 'intentions.exact.put', handler: putExact },
  { method: 'DELETE', path: '/v1/connect/intentions/exact', name: 'intentions.exact.delete', handler: deleteExact },
  { method: 'GET', path: '/v1/connect/intentions/:id', name: 'intentions.get', handler: byId },
  { method: 'PUT', path: '/v1/connect/intentions/:id', name: 'intentions.update', handler: updateById },
  { method: 'DELETE', path: '/v1/connect/intentions/:id', name: 'intentions.delete', handler: deleteById },
];
