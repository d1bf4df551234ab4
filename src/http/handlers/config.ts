import { WeftError } from '../../lib/errors.js';
import { configEntryGet, configEntryList, configKindDef, decodeConfigEntry, type ConfigEntry } from '../../state/index.js';
import { ResultFilter } from '../acl-filter.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { configAccess } from './config-acl.js';
import { requestFilter } from '../query/filter.js';
// Registers the write-time check that every discovery chain an entry is part of still compiles.
import '../../discovery-chain/index.js';

/** Consul's CanRead/CanWrite for the entry's kind (see config-acl.ts); `entry` is what a write would store. */
function authorize(req: ApiRequest, ctx: ApiContext, kind: string, name: string, access: 'read' | 'write', entry?: unknown): void {
  const rules = configAccess(kind, name, entry);
  if (access === 'read') {
    if (rules.read) ctx.authz.check(req.token, rules.read, 'read');
    return;
  }
  rules.write.forEach((resource, i) => ctx.authz.check(req.token, resource, i === 0 || resource.kind !== 'service' ? 'write' : 'read'));
}

/** `kind` or `kind/name` from the rest of the path; the name may itself hold slashes. */
function kindAndName(req: ApiRequest): [string, string | undefined] {
  let rest: string;
  try {
    rest = decodeURIComponent(req.path.slice('/v1/config/'.length));
  } catch {
    throw new WeftError('BAD_REQUEST', `Invalid URL escape in path: ${req.path}`);
  }
  const at = rest.indexOf('/');
  return at < 0 ? [rest, undefined] : [rest.slice(0, at), rest.slice(at + 1)];
}

function get(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const [kind, name] = kindAndName(req);
  if (!kind) throw new WeftError('NOT_FOUND', 'Must provide either a kind or both kind and name');
  configKindDef(kind);
  if (name === undefined || name === '') {
    const filter = requestFilter(req);
    return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
      const r = configEntryList(ctx.store, ws, kind);
      const acl = new ResultFilter(req, ctx);
      const entries = r.entries.filter((e) => {
        const resource = configAccess(kind, e.Name).read;
        return (!resource || acl.allows(resource)) && (!filter || filter.matches(e));
      });
      return { index: r.index, reply: acl.reply({ body: entries }) };
    });
  }
  authorize(req, ctx, kind, name, 'read');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = configEntryGet(ctx.store, ws, kind, name);
    if (!r.entry) throw new WeftError('NOT_FOUND', `Config entry not found for ${JSON.stringify(kind)} / ${JSON.stringify(name)}`);
    return { index: r.index, reply: { body: r.entry satisfies ConfigEntry } };
  });
}

function casParam(req: ApiRequest): number | undefined {
  return req.has('cas') ? (req.uint('cas', 'cas index') ?? 0) : undefined;
}

/** PUT /v1/config[?cas=N]: writes one entry of any known kind; answers true or false (CAS). */
async function put(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const entry = decodeConfigEntry(await req.json());
  authorize(req, ctx, entry.Kind, entry.Name, 'write', entry);
  const cas = casParam(req);
  return { body: await ctx.store.apply<boolean>({ type: 'config.set', Entry: entry, ...(cas === undefined ? {} : { Cas: cas }) }) };
}

/** DELETE /v1/config/:kind/:name[?cas=N]: `{}`, or true/false with ?cas, as Consul answers. */
async function del(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const [kind, name] = kindAndName(req);
  if (!kind || !name) throw new WeftError('NOT_FOUND', 'Must provide both a kind and name to delete');
  configKindDef(kind);
  authorize(req, ctx, kind, name, 'write');
  const cas = casParam(req);
  const deleted = await ctx.store.apply<boolean>({ type: 'config.delete', Kind: kind, Name: name, ...(cas === undefined ? {} : { Cas: cas }) });
  return { body: cas === undefined ? {} : deleted };
}

export const configRoutes: Route[] = [
  { method: 'PUT', path: '/v1/config', name: 'config.apply', handler: put },
  { method: 'GET', path: '/v1/config/*', name: 'config.get', handler: get },
  { method: 'DELETE', path: '/v1/config/*', name: 'config.delete', handler: del },
];
