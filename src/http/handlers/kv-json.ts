import { stringifyExact } from '../../lib/uint64-json.js';
import type { KVEntry } from '../../state/index.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';

/** Consul's KV JSON: Value in base64 (null for an empty value), Session only while locked. */
export function kvJson(e: KVEntry, withValue = true): Record<string, unknown> {
  const out: Record<string, unknown> = {
    LockIndex: e.LockIndex,
    Key: e.Key,
    Flags: e.Flags,
    Value: withValue && e.Value && e.Value.length ? Buffer.from(e.Value).toString('base64') : null,
  };
  if (e.Session) out.Session = e.Session;
  out.CreateIndex = e.CreateIndex;
  out.ModifyIndex = e.ModifyIndex;
  return out;
}

/**
 * A JSON reply whose uint64 `Flags` stay exact. Most bodies go through the server's JSON
 * encoder; one holding a flag above 2^53 (Consul's lock and semaphore flags, kept as
 * strings) is encoded here. `flags` are the values the body carries.
 */
export function exactJsonReply(req: ApiRequest, body: unknown, flags: Iterable<unknown>, extra: Omit<Reply, 'body' | 'raw'> = {}): Reply {
  for (const f of flags) {
    if (typeof f === 'string') return { ...extra, raw: stringifyExact(body, ['Flags'], req.has('pretty') ? 4 : undefined), contentType: 'application/json' };
  }
  return { ...extra, body };
}
