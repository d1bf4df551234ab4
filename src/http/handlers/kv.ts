import { WeftError } from '../../lib/errors.js';
import { kvGet, kvKeys, kvList, assertValidKey, type KVEntry, type KVSetOp, type KVDeleteOp } from '../../state/index.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';

/** Consul's KV JSON: Value in base64 (null for an empty value), Session only while locked. */
export function kvJson(e: KVEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {
    LockIndex: e.LockIndex,
    Key: e.Key,
    Flags: e.Flags,
    Value: e.Value && e.Value.length ? Buffer.from(e.Value).toString('base64') : null,
    CreateIndex: e.CreateIndex,
    ModifyIndex: e.ModifyIndex,
  };
  if (e.Session) out.Session = e.Session;
  return out;
}

/** The key is the rest of the decoded path, as Go's URL.Path gives it to Consul. */
function keyOf(req: ApiRequest): string {
  const rest = req.path.slice('/v1/kv/'.length);
  try {
    return decodeURIComponent(rest);
  } catch {
    throw new WeftError('BAD_REQUEST', `Invalid URL escape in key: ${rest}`);
  }
}

function requireKey(key: string): void {
  if (key === '') throw new WeftError('BAD_REQUEST', 'Missing key name');
  assertValidKey(key);
}

function conflicting(req: ApiRequest, ...names: string[]): void {
  const given = names.filter((n) => req.has(n));
  if (given.length > 1) throw new WeftError('BAD_REQUEST', `Conflicting flags: ${given.join('&')}`);
}

async function get(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const key = keyOf(req);
  if (req.has('keys')) {
    const separator = req.get('separator') ?? '';
    return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
      const r = kvKeys(ctx.store, ws, key, separator);
      const keys = r.keys.filter((k) => ctx.authz.allows(req.token, { kind: 'key', name: k }, 'list'));
      return { index: r.index, reply: keys.length ? { body: keys } : { status: 404 } };
    });
  }
  if (req.has('recurse')) {
    return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
      const r = kvList(ctx.store, ws, key);
      const entries = r.entries.filter((e) => ctx.authz.allows(req.token, { kind: 'key', name: e.Key }, 'read'));
      return { index: r.index, reply: entries.length ? { body: entries.map(kvJson) } : { status: 404 } };
    });
  }
  requireKey(key);
  ctx.authz.check(req.token, { kind: 'key', name: key }, 'read');
  const raw = req.has('raw');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = kvGet(ctx.store, ws, key);
    if (!r.entry) return { index: r.index, reply: { status: 404 } };
    if (raw) {
      // Never sniffed: a stored value must not be able to become HTML in a browser.
      return {
        index: r.index,
        reply: { raw: r.entry.Value ?? new Uint8Array(), contentType: 'text/plain', headers: { 'X-Content-Type-Options': 'nosniff' } },
      };
    }
    return { index: r.index, reply: { body: [kvJson(r.entry)] } };
  });
}

async function put(req: ApiRequest, ctx: ApiContext, maxValue: number): Promise<Reply> {
  const key = keyOf(req);
  requireKey(key);
  conflicting(req, 'cas', 'acquire', 'release');
  ctx.authz.check(req.token, { kind: 'key', name: key }, 'write');
  const flags = req.uint('flags', 'flags') ?? 0;
  const cas = req.has('cas') ? (req.uint('cas', 'cas index') ?? 0) : undefined;
  const value = await req.body(maxValue);
  const op: KVSetOp = { type: 'kv.set', Key: key, Value: value.length ? new Uint8Array(value) : null, Flags: flags };
  if (cas !== undefined) op.Cas = cas;
  return { body: await ctx.store.apply<boolean>(op) };
}

async function del(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const key = keyOf(req);
  conflicting(req, 'recurse', 'cas');
  const recurse = req.has('recurse');
  if (!recurse) requireKey(key);
  ctx.authz.check(req.token, { kind: 'key', name: key }, 'write');
  const op: KVDeleteOp = { type: 'kv.delete', Key: key };
  if (recurse) op.Recurse = true;
  if (req.has('cas')) op.Cas = req.uint('cas', 'cas index') ?? 0;
  return { body: await ctx.store.apply<boolean>(op) };
}

export function kvRoutes(ctx: ApiContext): Route[] {
  const maxValue = ctx.agent.config.limits.kvMaxValueSize;
  return [
    { method: 'GET', path: '/v1/kv/*', name: 'kv.get', handler: get },
    { method: 'PUT', path: '/v1/kv/*', name: 'kv.put', handler: (req, c) => put(req, c, maxValue), maxBody: maxValue },
    { method: 'DELETE', path: '/v1/kv/*', name: 'kv.delete', handler: del },
  ];
}
