import type { ApiClient } from '../../src/api/index.js';

/**
 * Catalog set-up for session tests, through /v1/txn: a session needs its node and checks
 * registered. (The agent does not register its own node yet; when it does, these writes
 * are simply idempotent updates.)
 */
export async function registerNode(api: ApiClient, node: string, checks: Record<string, 'passing' | 'warning' | 'critical'> = { serfHealth: 'passing' }): Promise<void> {
  const ops: unknown[] = [{ Node: { Verb: 'set', Node: { Node: node, Address: '127.0.0.1' } } }];
  for (const [id, status] of Object.entries(checks)) ops.push(checkOp(node, id, status));
  await api.put('/v1/txn', { body: ops });
}

export function checkOp(node: string, id: string, status: string) {
  return { Check: { Verb: 'set', Check: { Node: node, CheckID: id, Name: id, Status: status } } };
}

export async function setCheck(api: ApiClient, node: string, id: string, status: string): Promise<void> {
  await api.put('/v1/txn', { body: [checkOp(node, id, status)] });
}

export async function createSession(api: ApiClient, body: Record<string, unknown> = {}): Promise<string> {
  return (await api.put<{ ID: string }>('/v1/session/create', { body })).body.ID;
}

export const b64 = (s: string): string => Buffer.from(s).toString('base64');
export const unb64 = (s: string | null): string => Buffer.from(s ?? '', 'base64').toString();
