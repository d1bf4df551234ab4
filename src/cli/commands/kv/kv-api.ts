import type { ApiClient } from '../../../api/index.js';
import { parseJsonExact, type Uint64 } from '../../../lib/uint64-json.js';

/**
 * The KV calls the kv, lock and watch commands make, keeping uint64 Flags exact (Consul's
 * lock and semaphore flags are above 2^53, and a rounded flag would break interop with
 * Consul's own `consul lock` on the same prefix).
 */
export interface KVPair {
  Key: string;
  Flags: Uint64;
  /** base64, null for an empty value. */
  Value: string | null;
  Session?: string;
  LockIndex: number;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface ReadOptions {
  index?: number;
  wait?: string;
  consistent?: boolean;
  signal?: AbortSignal;
}

/** The URL path of a key, each segment escaped so `?`, `#` and `%` stay part of the key. */
export const keyPath = (key: string): string => `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;

export const valueBytes = (p: KVPair): Buffer => Buffer.from(p.Value ?? '', 'base64');

type Query = Record<string, string | number | boolean | undefined>;

function query(o: ReadOptions, extra: Query = {}): Query {
  return { ...extra, index: o.index || undefined, wait: o.index ? o.wait : undefined, consistent: o.consistent || undefined };
}

async function read<T>(client: ApiClient, path: string, q: Query, o: ReadOptions): Promise<{ body: T | null; index: number }> {
  const res = await client.get<Buffer>(path, { query: q, raw: true, accept: [404], signal: o.signal });
  if (res.status === 404) return { body: null, index: res.meta.index };
  return { body: parseJsonExact<T>(res.body.toString('utf8'), ['Flags']), index: res.meta.index };
}

export async function getPair(client: ApiClient, key: string, o: ReadOptions = {}): Promise<{ pair: KVPair | null; index: number }> {
  const { body, index } = await read<KVPair[]>(client, keyPath(key), query(o), o);
  return { pair: body?.[0] ?? null, index };
}

export async function listPairs(client: ApiClient, prefix: string, o: ReadOptions = {}): Promise<{ pairs: KVPair[]; index: number }> {
  const { body, index } = await read<KVPair[]>(client, keyPath(prefix), query(o, { recurse: true }), o);
  return { pairs: body ?? [], index };
}

export async function listKeys(client: ApiClient, prefix: string, separator: string, o: ReadOptions = {}): Promise<string[]> {
  const { body } = await read<string[]>(client, keyPath(prefix), query(o, { keys: true, separator: separator || undefined }), o);
  return body ?? [];
}

export interface WriteQuery {
  flags?: Uint64;
  cas?: number;
  acquire?: string;
  release?: string;
}

export async function putPair(client: ApiClient, key: string, value: Uint8Array | string, q: WriteQuery = {}): Promise<boolean> {
  const res = await client.put<boolean>(keyPath(key), {
    rawBody: value,
    query: {
      flags: q.flags !== undefined && String(q.flags) !== '0' ? String(q.flags) : undefined,
      cas: q.cas !== undefined ? String(q.cas) : undefined,
      acquire: q.acquire,
      release: q.release,
    },
  });
  return res.body === true;
}

export async function deletePair(client: ApiClient, key: string, q: { recurse?: boolean; cas?: number } = {}): Promise<boolean> {
  const res = await client.delete<boolean>(keyPath(key), { query: { recurse: q.recurse || undefined, cas: q.cas !== undefined ? String(q.cas) : undefined } });
  return res.body === true;
}
