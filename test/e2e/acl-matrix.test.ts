import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/index.js';
import { b64, call, coordinate, ids, NODE, rows, type Cell, type Row } from './acl-matrix-rows.js';
import { removeDir, startAgent, stopAllAgents, tempDir, type TestAgent } from './harness.js';

/**
 * The permission matrix: every endpoint group, called with no token, a read-everything token
 * (builtin/global-read-only), a write token scoped to the `app` prefix, and a management token,
 * on an agent with default_policy = "deny". Each cell is what the call did:
 *
 * - `ok`: allowed (any answer but 403); `denied`: 403; `absent`: the single thing asked for
 *   was not there (404, or null) — which is also how Consul hides what a token may not read;
 * - for filtered lists, the names the token saw, with `†` when the answer carried
 *   X-Consul-Results-Filtered-By-ACLs (only to callers that sent a token).
 *
 * The test prints the matrix and fails on any cell that differs from what the rules say.
 */

const ROOT = '6b1c2d9e-52f1-4b8a-9d3e-0f1a2b3c4d5e';
const TOKENS = ['none', 'read', 'app-write', 'management'] as const;

const APP_RULES = `
key_prefix "app/" {
  policy = "write"
}
service_prefix "app" {
  policy     = "write"
  intentions = "write"
}
node_prefix "app" {
  policy = "write"
}
session_prefix "app" {
  policy = "write"
}
event_prefix "app" {
  policy = "write"
}
`;

let agent: TestAgent;
let dir: string;
const clients = new Map<string, ApiClient>();
async function seed(root: ApiClient): Promise<void> {
  const ok = async (method: string, path: string, body?: unknown, raw?: string) => {
    const a = await call(root, method, path, body, raw);
    if (a.status >= 300) throw new Error(`seeding ${method} ${path}: ${a.status} ${JSON.stringify(a.body)}`);
    return a.body;
  };
  const policy = (await ok('PUT', '/v1/acl/policy', { Name: 'app-write', Rules: APP_RULES })) as { ID: string };
  const appToken = (await ok('PUT', '/v1/acl/token', { Description: 'app writer', Policies: [{ ID: policy.ID }] })) as { AccessorID: string; SecretID: string };
  const readToken = (await ok('PUT', '/v1/acl/token', { Description: 'reader', Policies: [{ Name: 'builtin/global-read-only' }] })) as { SecretID: string };
  ids.appAccessor = appToken.AccessorID;
  ids.appSecret = appToken.SecretID;
  ids.readSecret = readToken.SecretID;

  for (const [key, value] of [['app/config', 'a'], ['other/secret', 's'], ['app/tmp/x', 't'], ['other/tmp/x', 't']]) await ok('PUT', `/v1/kv/${key}`, undefined, value);
  await ok('PUT', '/v1/catalog/register', { Node: 'app-node', Address: '10.0.0.1', Service: { Service: 'app-web', Port: 80 }, Checks: [{ CheckID: 'app-check', Name: 'app', ServiceID: 'app-web', Status: 'passing' }] });
  await ok('PUT', '/v1/catalog/register', { Node: 'other-node', Address: '10.0.0.2', Service: { Service: 'other-db', Port: 5432 }, Checks: [{ CheckID: 'other-check', Name: 'other', Status: 'passing' }] });
  await ok('PUT', '/v1/agent/service/register', { Name: 'app-api', Port: 8080 });
  await ok('PUT', '/v1/agent/service/register', { Name: 'other-cache', Port: 6379 });
  ids.appSession = ((await ok('PUT', '/v1/session/create', { Node: 'app-node', Checks: [] })) as { ID: string }).ID;
  ids.otherSession = ((await ok('PUT', '/v1/session/create', { Node: 'other-node', Checks: [] })) as { ID: string }).ID;
  await ok('PUT', '/v1/connect/intentions/exact?source=app-web&destination=other-db', { Action: 'deny' });
  await ok('PUT', '/v1/connect/intentions/exact?source=other-db&destination=app-web', { Action: 'allow' });
  // The legacy create gives the intention an ID to read it by.
  ids.otherIntention = ((await ok('POST', '/v1/connect/intentions', { SourceName: 'other-x', DestinationName: 'other-db', Action: 'deny' })) as { ID: string }).ID;
  await ok('PUT', '/v1/config', { Kind: 'service-defaults', Name: 'app-web', Protocol: 'http' });
  await ok('PUT', '/v1/config', { Kind: 'service-defaults', Name: 'other-db', Protocol: 'tcp' });
  await ok('PUT', '/v1/config', { Kind: 'proxy-defaults', Name: 'global' });
  await ok('PUT', '/v1/coordinate/update', coordinate('app-node'));
  await ok('PUT', '/v1/coordinate/update', coordinate('other-node'));
  await ok('PUT', '/v1/coordinate/update', coordinate(NODE));
}

beforeAll(async () => {
  dir = tempDir();
  const config = join(dir, 'acl.hcl');
  writeFileSync(config, `acl {\n  enabled = true\n  default_policy = "deny"\n  tokens {\n    initial_management = "${ROOT}"\n  }\n}\n`);
  agent = await startAgent({ args: ['-node', NODE, '-config-file', config] });
  const root = new ApiClient({ address: agent.address, token: ROOT });
  clients.set('management', root);
  await seed(root);
  clients.set('none', new ApiClient({ address: agent.address }));
  clients.set('read', new ApiClient({ address: agent.address, token: ids.readSecret }));
  clients.set('app-write', new ApiClient({ address: agent.address, token: ids.appSecret }));
}, 60_000);

afterAll(async () => {
  for (const c of clients.values()) c.close();
  await stopAllAgents();
  removeDir(dir);
});

function render(results: { row: Row; got: Cell[] }[]): string {
  const head = ['group', 'call', ...TOKENS];
  const lines = results.map(({ row, got }) => [row.group, row.name, ...got.map((g, i) => (g === row.expect[i] ? g : `✗ ${g} (want ${row.expect[i]})`))]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(fmt)].join('\n');
}

describe('the ACL permission matrix (default_policy = "deny")', () => {
  it('allows and denies every endpoint group exactly as the rules say', async () => {
    const results: { row: Row; got: Cell[] }[] = [];
    for (const row of rows()) {
      const got: Cell[] = [];
      for (const t of TOKENS) got.push(await row.run(clients.get(t)!));
      results.push({ row, got });
    }
    const table = render(results);
    console.log(`\nACL permission matrix (✗ marks a cell that differs from the rules):\n${table}\n`);
    const wrong = results.filter(({ row, got }) => got.some((g, i) => g !== row.expect[i]));
    expect(wrong.map(({ row, got }) => `${row.name}: got ${got.join(' / ')}, want ${row.expect.join(' / ')}`)).toEqual([]);
  }, 120_000);

  it('refuses an unknown token with 403 ACL not found everywhere, even where anonymous may read', async () => {
    const stranger = new ApiClient({ address: agent.address, token: '3f0e6a55-0000-4000-8000-000000000000' });
    try {
      for (const path of ['/v1/status/leader', '/v1/catalog/nodes', '/v1/kv/app/config', '/v1/agent/self']) {
        const a = await call(stranger, 'GET', path);
        if (path === '/v1/status/leader') expect(a.status).toBe(200);
        else expect([path, a.status, a.body]).toEqual([path, 403, 'ACL not found']);
      }
    } finally {
      stranger.close();
    }
  });

  it('writes nothing of a transaction that holds one refused operation', async () => {
    const app = clients.get('app-write')!;
    const root = clients.get('management')!;
    const a = await call(app, 'PUT', '/v1/txn', [{ KV: { Verb: 'set', Key: 'app/half', Value: b64('1') } }, { KV: { Verb: 'set', Key: 'other/half', Value: b64('1') } }]);
    expect(a.status).toBe(409);
    expect((await call(root, 'GET', '/v1/kv/app/half')).status).toBe(404);
    expect((await call(root, 'GET', '/v1/kv/other/half')).status).toBe(404);
  });
});
