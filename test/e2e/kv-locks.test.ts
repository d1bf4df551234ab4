import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import type { ApiClient } from '../../src/api/index.js';
import { startAgent, stopAllAgents, waitFor } from './harness.js';
import { createSession, registerNode, unb64 } from './session-fixtures.js';

let api: ApiClient;
let port: number;
beforeAll(async () => {
  const agent = await startAgent({ args: ['-dev', '-node', 'kv-node'] });
  api = agent.client;
  port = agent.httpPort;
  await registerNode(api, 'kv-node');
});
afterAll(stopAllAgents);

interface Pair {
  Key: string;
  Value: string | null;
  Flags: number;
  LockIndex: number;
  Session?: string;
  ModifyIndex: number;
}
const put = (key: string, value: string, query: Record<string, string | boolean | undefined> = {}) =>
  api.put<boolean>(`/v1/kv/${key}`, { rawBody: value, query, accept: [400, 500] });
const get = async (key: string) => (await api.get<Pair[]>(`/v1/kv/${key}`)).body[0];

/** A raw request, to see what the API itself answers (redirects included). */
function raw(method: string, path: string, body = ''): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('KV locks', () => {
  it('acquire and release as Consul does: Session, LockIndex, holder-only release', async () => {
    const a = await createSession(api, { Name: 'a' });
    const b = await createSession(api, { Name: 'b' });
    expect((await put('lk/one', 'first', { acquire: a })).body).toBe(true);
    expect(await get('lk/one')).toMatchObject({ Session: a, LockIndex: 1 });
    expect((await put('lk/one', 'steal', { acquire: b })).body).toBe(false);
    // The holder may acquire again to update the value; LockIndex counts holders, not writes.
    expect((await put('lk/one', 'second', { acquire: a })).body).toBe(true);
    expect(await get('lk/one')).toMatchObject({ Session: a, LockIndex: 1 });
    // A plain write does not need the lock and keeps the holder.
    expect((await put('lk/one', 'plain')).body).toBe(true);
    expect(await get('lk/one')).toMatchObject({ Session: a });
    expect((await put('lk/one', 'x', { release: b })).body).toBe(false);
    expect((await put('lk/one', 'released', { release: a })).body).toBe(true);
    const released = await get('lk/one');
    expect(released.Session).toBeUndefined();
    expect(released.LockIndex).toBe(1);
    expect(unb64(released.Value)).toBe('released');
    expect((await put('lk/one', 'b-now', { acquire: b })).body).toBe(true);
    expect(await get('lk/one')).toMatchObject({ Session: b, LockIndex: 2 });
  });

  it('refuses bad lock requests with Consul’s status and text, writing nothing', async () => {
    const ghost = await put('lk/bad', 'x', { acquire: '7e57a8c0-0000-4000-8000-000000000000' });
    expect(ghost.status).toBe(500);
    const r1 = await raw('PUT', '/v1/kv/lk/bad?acquire=nope');
    expect(r1).toMatchObject({ status: 500, text: 'invalid session "nope"' });
    expect(await raw('PUT', '/v1/kv/lk/bad?acquire=')).toMatchObject({ status: 500, text: 'missing session' });
    expect(await raw('PUT', '/v1/kv/lk/bad?cas=0&acquire=x')).toMatchObject({ status: 400, text: 'Conflicting flags: acquire=x&cas=0\n' });
    expect(await raw('PUT', '/v1/kv/lk/bad?flags=-1')).toMatchObject({ status: 400 });
    expect((await api.get('/v1/kv/lk/bad', { accept: [404] })).status).toBe(404);
  });

  it('blocks re-acquisition for the lock-delay after the holder’s session is invalidated', async () => {
    const holder = await createSession(api, { LockDelay: '2s' });
    const next = await createSession(api, { LockDelay: '0s' });
    expect((await put('lk/delay', 'v', { acquire: holder })).body).toBe(true);
    const watched = await api.get('/v1/kv/lk/delay');
    const woke = api.get<Pair[]>('/v1/kv/lk/delay', { query: { index: watched.meta.index, wait: '30s' } });
    const destroyedAt = Date.now();
    await api.put(`/v1/session/destroy/${holder}`);
    // Waiters on the key see the release at once...
    expect((await woke).body[0].Session).toBeUndefined();
    // ...but nobody may take the lock until the delay has passed.
    expect((await put('lk/delay', 'v', { acquire: next })).body).toBe(false);
    await waitFor(async () => (await put('lk/delay', 'v', { acquire: next })).body, { timeoutMs: 10_000, intervalMs: 200, what: 'lock after lock-delay' });
    expect(Date.now() - destroyedAt).toBeGreaterThanOrEqual(1900);
    // A session with no lock-delay leaves none behind.
    await api.put(`/v1/session/destroy/${next}`);
    const third = await createSession(api);
    expect((await put('lk/delay', 'v', { acquire: third })).body).toBe(true);
  });

  it('keeps uint64 flags exact (Consul’s lock flag is above 2^53)', async () => {
    const flag = '3304740253564472344';
    expect((await put('lk/flags', '', { flags: flag })).body).toBe(true);
    const text = (await api.get<Buffer>('/v1/kv/lk/flags', { raw: true })).body.toString();
    expect(text).toContain(`"Flags":${flag},`);
    const listed = (await api.get<Buffer>('/v1/kv/lk/', { raw: true, query: { recurse: true } })).body.toString();
    expect(listed).toContain(`"Flags":${flag},`);
  });

  it('handles paths and keys as Consul does', async () => {
    // Go's ServeMux redirects unclean paths before Consul sees them: nothing is written.
    const moved = await raw('PUT', '/v1/kv//slash', 'x');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/v1/kv/slash');
    expect((await api.get('/v1/kv/slash', { accept: [404] })).status).toBe(404);
    expect(await raw('PUT', '/v1/kv/', 'x')).toMatchObject({ status: 400, text: 'Missing key name' });
    // The root of ?keys is an empty list, any other empty prefix a 404.
    expect((await api.get<string[]>('/v1/kv/', { query: { keys: true } })).body).toEqual(expect.any(Array));
    expect((await api.get('/v1/kv/no-such-prefix/', { query: { keys: true }, accept: [404] })).status).toBe(404);
  });

  it('deletes with ?cas only at the right index, and treats a missing key as deleted', async () => {
    await put('lk/cas', 'v');
    const { ModifyIndex } = await get('lk/cas');
    expect((await api.delete<boolean>('/v1/kv/lk/cas', { query: { cas: String(ModifyIndex + 1) } })).body).toBe(false);
    expect((await api.delete<boolean>('/v1/kv/lk/cas', { query: { cas: String(ModifyIndex) } })).body).toBe(true);
    expect((await api.delete<boolean>('/v1/kv/lk/cas', { query: { cas: '5' } })).body).toBe(true);
    expect(await raw('DELETE', '/v1/kv/lk/cas?cas=1&recurse')).toMatchObject({ status: 400 });
  });
});
