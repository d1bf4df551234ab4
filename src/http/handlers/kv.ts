import { WeftError } from '../../lib/errors.js';
import { parseUint64, type Uint64 } from '../../lib/uint64-json.js';
import { kvGet, kvKeys, kvList, assertValidKey, type KVSetOp, type KVDeleteOp, type KVLockOp } from '../../state/index.js';
import type { KVEntry } from '../../state/index.js';
import { ResultFilter } from '../acl-filter.js';
import { blockingQuery } from '../blocking.js';
import { sharedReadsOf } from '../shared-reads.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { exactJsonReply, kvJson } from './kv-json.js';
import { serverSessions } from './session-runtime.js';

export { kvJson } from './kv-json.js';

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

/** Consul answers with the whole query, encoded and sorted as Go's url.Values.Encode does. */
function conflicting(req: ApiRequest, ...names: string[]): void {
  if (names.filter((n) => req.has(n)).length < 2) return;
  const sorted = new URLSearchParams([...req.query].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  throw new WeftError('BAD_REQUEST', `Conflicting flags: ${sorted.toString()}\n`);
}

/** Go's ServeMux cleanPath: Consul never sees `//`, `.` or `..` in a path, it redirects to the clean one. */
export function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  let clean = '/' + out.join('/');
  if (p.endsWith('/') && clean !== '/') clean += '/';
  return clean;
}

const UNCLEAN = /\/\/|\/\.\.?(?:\/|$)/;

function redirectIfUnclean(req: ApiRequest): Reply | null {
  // Most paths are clean: decode only when `//`, a `.`/`..` segment or a `%` escape could make one unclean.
  if (!UNCLEAN.test(req.path) && !req.path.includes('%')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.path);
  } catch {
    return null;
  }
  if (!UNCLEAN.test(decoded)) return null;
  const clean = cleanPath(decoded);
  const search = req.query.toString();
  return { status: 301, headers: { Location: encodeURI(clean) + (search ? `?${search}` : '') } };
}

function uint64Param(req: ApiRequest, name: string): Uint64 | undefined {
  const v = req.get(name);
  if (v === undefined || v === '') return undefined;
  const n = parseUint64(v);
  if (n === undefined) throw new WeftError('BAD_REQUEST', `Invalid ${name}: ${v}`);
  return n;
}

async function get(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const moved = redirectIfUnclean(req);
  if (moved) return moved;
  const key = keyOf(req);
  const listing = req.has('keys') || req.has('recurse');
  // With enable_key_list_policy a listing needs `list` on the prefix; the entries are then filtered by `read`.
  if (listing && ctx.authz.keyListPolicy) ctx.authz.check(req.token, { kind: 'key', name: key }, 'list');
  const shared = sharedReadsOf(ctx.store);
  const pretty = req.has('pretty');
  if (req.has('keys')) {
    const separator = req.get('separator') ?? '';
    return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
      const acl = new ResultFilter(req, ctx);
      const all = shared.read(ws, `kv.list\0${key}`, (own) => kvList(ctx.store, own, key));
      // A token that may see every key gets the bytes every such token gets.
      if (all.entries.every((e) => acl.allows({ kind: 'key', name: e.Key }))) {
        // The root answers an empty list; any other prefix without keys is a 404 (agent/kvs_endpoint.go).
        if (!all.entries.length && key !== '') return { index: all.index, reply: { status: 404 } };
        const raw = shared.encoded(`kv.keys\0${key}\0${separator}\0${pretty}`, () => jsonBytes({ body: kvKeys(ctx.store, null, key, separator).keys }, pretty));
        return { index: all.index, reply: { raw, contentType: 'application/json' } };
      }
      // The token misses some keys: folders are formed from what it may see, for it alone.
      const r = kvKeys(ctx.store, ws, key, separator, (k) => acl.allows({ kind: 'key', name: k }));
      return { index: r.index, reply: acl.reply(r.keys.length || key === '' ? { body: r.keys } : { status: 404 }) };
    });
  }
  if (req.has('recurse')) {
    return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
      const r = shared.read(ws, `kv.list\0${key}`, (own) => kvList(ctx.store, own, key));
      const acl = new ResultFilter(req, ctx);
      const entries = r.entries.filter((e) => acl.allows({ kind: 'key', name: e.Key }));
      if (!entries.length) return { index: r.index, reply: acl.reply({ status: 404 }) };
      const listed = (): Reply => exactJsonReply(req, entries.map((e) => kvJson(e)), entries.map((e) => e.Flags));
      // Everyone who may see every entry gets the same bytes; a filtered answer is the token's own.
      if (acl.filtered) return { index: r.index, reply: acl.reply(listed()) };
      const raw = shared.encoded(`kv.recurse\0${key}\0${pretty}`, () => jsonBytes(listed(), pretty));
      return { index: r.index, reply: { raw, contentType: 'application/json' } };
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
        reply: { raw: r.entry.Value ?? new Uint8Array(), contentType: 'text/plain', headers: { 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': 'sandbox' } },
      };
    }
    if (typeof r.entry.Flags !== 'string' && !req.has('pretty')) return { index: r.index, reply: { raw: singleEntryJson(r.entry), contentType: 'application/json' } };
    return { index: r.index, reply: exactJsonReply(req, [kvJson(r.entry)], [r.entry.Flags]) };
  });
}

/** The bytes the server would send for a JSON reply (it encodes `body` the same way, in server.ts). */
function jsonBytes(reply: Reply, pretty: boolean): Buffer {
  if (reply.raw !== undefined) return Buffer.from(reply.raw);
  return Buffer.from(pretty ? JSON.stringify(reply.body, null, 4) : JSON.stringify(reply.body));
}

/**
 * The JSON of a one-key answer, made once per stored row: rows are replaced, never changed,
 * and a write that wakes thousands of watchers of one key would otherwise encode it for each.
 */
const singleEntryText = new WeakMap<KVEntry, string>();
function singleEntryJson(e: KVEntry): string {
  let text = singleEntryText.get(e);
  if (text === undefined) {
    text = JSON.stringify([kvJson(e)]);
    singleEntryText.set(e, text);
  }
  return text;
}

async function put(req: ApiRequest, ctx: ApiContext, maxValue: number): Promise<Reply> {
  const moved = redirectIfUnclean(req);
  if (moved) return moved;
  const key = keyOf(req);
  requireKey(key);
  conflicting(req, 'cas', 'acquire', 'release');
  ctx.authz.check(req.token, { kind: 'key', name: key }, 'write');
  const flags = uint64Param(req, 'flags') ?? 0;
  const cas = req.has('cas') ? (req.uint('cas', 'cas index') ?? 0) : undefined;
  const value = await req.body(maxValue);
  const bytes = value.length ? new Uint8Array(value) : null;
  if (req.has('acquire') || req.has('release')) {
    const acquire = req.has('acquire');
    const session = (acquire ? req.get('acquire') : req.get('release')) ?? '';
    // Lock-delay is judged on this server's clock before the op is appended, as Consul's leader does.
    if (acquire && session && serverSessions(ctx).lockDelays.remaining(key) > 0) {
      ctx.log.warn({ key }, 'rejecting lock of key due to lock-delay');
      return { body: false };
    }
    const op: KVLockOp = { type: acquire ? 'kv.lock' : 'kv.unlock', Key: key, Value: bytes, Flags: flags, Session: session };
    return { body: await ctx.store.apply<boolean>(op) };
  }
  const op: KVSetOp = { type: 'kv.set', Key: key, Value: bytes, Flags: flags };
  if (cas !== undefined) op.Cas = cas;
  return { body: await ctx.store.apply<boolean>(op) };
}

async function del(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const moved = redirectIfUnclean(req);
  if (moved) return moved;
  const key = keyOf(req);
  conflicting(req, 'recurse', 'cas');
  const recurse = req.has('recurse');
  if (!recurse) requireKey(key);
  // A recursive delete needs write on every key under the prefix (KeyWritePrefix), not just on the prefix.
  if (recurse && ctx.authz.checkKeyWritePrefix) ctx.authz.checkKeyWritePrefix(req.token, key);
  else ctx.authz.check(req.token, { kind: 'key', name: key }, 'write');
  const op: KVDeleteOp = { type: 'kv.delete', Key: key };
  if (recurse) op.Recurse = true;
  if (req.has('cas')) op.Cas = req.uint('cas', 'cas index') ?? 0;
  return { body: await ctx.store.apply<boolean>(op) };
}

export function kvRoutes(ctx: ApiContext): Route[] {
  const maxValue = ctx.agent.config.limits.kvMaxValueSize;
  // Arms the TTL timers of sessions restored from disk as the API comes up.
  serverSessions(ctx);
  return [
    { method: 'GET', path: '/v1/kv/*', name: 'kv.get', handler: get },
    { method: 'PUT', path: '/v1/kv/*', name: 'kv.put', handler: (req, c) => put(req, c, maxValue), maxBody: maxValue },
    { method: 'DELETE', path: '/v1/kv/*', name: 'kv.delete', handler: del },
  ];
}
