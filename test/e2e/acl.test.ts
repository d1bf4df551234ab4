import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../src/api/index.js';
import type { ACLAuthorizationResponse, ACLBootstrapToken, ACLPolicy, ACLPolicyListEntry, ACLRole, ACLToken } from '../../src/api/acl.js';
import { removeDir, startAgent, stopAllAgents, tempDir, type TestAgent } from './harness.js';

const ROOT = '6b1c2d9e-52f1-4b8a-9d3e-0f1a2b3c4d5e';
const dirs: string[] = [];
let agent: TestAgent;
let dataDir: string;
const clients: ApiClient[] = [];

function client(token?: string): ApiClient {
  const c = new ApiClient({ address: agent.address, token });
  clients.push(c);
  return c;
}

/** The status and plain-text reason of a refused call. */
async function refusal(call: Promise<unknown>): Promise<[number, string]> {
  const err = await call.then(() => null, (e: unknown) => e);
  if (!(err instanceof ApiError)) throw new Error(`expected a refusal, got ${JSON.stringify(err)}`);
  return [err.statusCode, err.reason];
}

beforeAll(async () => {
  dataDir = tempDir();
  dirs.push(dataDir);
  const config = join(dataDir, 'acl.hcl');
  writeFileSync(config, `acl {\n  enabled = true\n  default_policy = "deny"\n  tokens {\n    initial_management = "${ROOT}"\n  }\n}\n`);
  agent = await startAgent({ args: ['-server', '-bootstrap', '-data-dir', dataDir, '-config-file', config] });
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await stopAllAgents();
  dirs.forEach(removeDir);
});

describe('an agent with default_policy = "deny"', () => {
  it('says so on every answer and refuses the anonymous token and unknown tokens', async () => {
    const [status, reason] = await refusal(client().get('/v1/acl/policies'));
    expect(status).toBe(403);
    expect(reason).toBe("Permission denied: anonymous token lacks permission 'acl:read'. The anonymous token is used implicitly when a request does not specify a token.");
    expect(await refusal(client('3f0e6a55-0000-4000-8000-000000000000').get('/v1/acl/policies'))).toEqual([403, 'ACL not found']);
    const ok = await client(ROOT).get('/v1/acl/policies');
    expect(ok.headers['x-consul-default-acl-policy']).toBe('deny');
  });

  it('treats the configured management token as the bootstrap, and allows one more only with the reset index', async () => {
    const [status, reason] = await refusal(client().put('/v1/acl/bootstrap'));
    expect(status).toBe(403);
    const resetIndex = Number(/reset index: (\d+)\)$/.exec(reason)?.[1]);
    expect(reason).toBe(`Permission denied: ACL bootstrap no longer allowed (reset index: ${resetIndex})`);
    writeFileSync(join(dataDir, 'acl-bootstrap-reset'), `${resetIndex}\n`);
    const token = (await client().put<ACLBootstrapToken>('/v1/acl/bootstrap')).body;
    expect(token).toMatchObject({ ID: token.SecretID, Description: 'Bootstrap Token (Global Management)', Policies: [{ ID: '00000000-0000-0000-0000-000000000001', Name: 'global-management' }] });
    expect(existsSync(join(dataDir, 'acl-bootstrap-reset'))).toBe(false);
    expect((await client(token.SecretID).get<ACLToken>('/v1/acl/token/self')).body.AccessorID).toBe(token.AccessorID);
    const [again, why] = await refusal(client().put('/v1/acl/bootstrap'));
    expect(again).toBe(403);
    expect(Number(/reset index: (\d+)\)$/.exec(why)?.[1])).toBeGreaterThan(resetIndex);
  });

  it('creates, reads, updates and deletes policies, and refuses malformed rules with the line', async () => {
    const root = client(ROOT);
    const rules = 'key_prefix "app/" {\n  policy = "write"\n}\nkey "app/locked" {\n  policy = "read"\n}\n';
    const created = (await root.put<ACLPolicy>('/v1/acl/policy', { body: { Name: 'app-kv', Description: 'app keys', Rules: rules } })).body;
    expect(created).toMatchObject({ Name: 'app-kv', Description: 'app keys', Rules: rules });
    expect(created.Hash).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect((await root.get<ACLPolicy>(`/v1/acl/policy/${created.ID}`)).body).toEqual(created);
    expect((await root.get<ACLPolicy>('/v1/acl/policy/name/app-kv')).body.ID).toBe(created.ID);
    expect((await root.get<ACLPolicy>('/v1/acl/policy/name/builtin%2Fglobal-read-only')).body.ID).toBe('00000000-0000-0000-0000-000000000002');
    expect((await root.get<ACLPolicy>('/v1/acl/policy/name/builtin/global-read-only')).body.ID).toBe('00000000-0000-0000-0000-000000000002');

    const updated = (await root.put<ACLPolicy>(`/v1/acl/policy/${created.ID}`, { body: { Name: 'app-kv', Description: 'changed', Rules: rules } })).body;
    expect(updated).toMatchObject({ ID: created.ID, Description: 'changed', CreateIndex: created.CreateIndex });
    expect(updated.ModifyIndex).toBeGreaterThan(created.ModifyIndex);
    const list = (await root.get<ACLPolicyListEntry[]>('/v1/acl/policies')).body;
    expect(list.find((p) => p.ID === created.ID)).toEqual({ ID: created.ID, Name: 'app-kv', Description: 'changed', Datacenters: null, Hash: updated.Hash, CreateIndex: updated.CreateIndex, ModifyIndex: updated.ModifyIndex });

    expect(await refusal(root.put('/v1/acl/policy', { body: { Name: 'bad', Rules: 'service "web" {\n  policy = "list"\n}' } }))).toEqual([
      400,
      'Invalid service policy at line 2: "list" in service "web" is not "read", "write" or "deny"',
    ]);
    expect(await refusal(root.put('/v1/acl/policy', { body: { Name: 'bad', Rules: 'key "a" {\n  policy = \n}' } }))).toEqual([400, expect.stringMatching(/^Failed to parse ACL rules: line 2, column \d+: /)]);
    expect(await refusal(root.put('/v1/acl/policy', { body: { Name: 'app-kv', Rules: '' } }))).toEqual([400, 'Invalid Policy: A Policy with Name "app-kv" already exists']);
    expect(await refusal(root.put('/v1/acl/policy', { body: { Name: 'no spaces' } }))).toEqual([400, "Invalid Policy: invalid Name. Only alphanumeric characters, '-' and '_' are allowed"]);
    expect(await refusal(root.delete('/v1/acl/policy/00000000-0000-0000-0000-000000000001'))).toEqual([400, 'Delete operation not permitted on the builtin global-management policy']);
    expect((await root.get<ACLPolicyListEntry[]>('/v1/acl/policies')).body.map((p) => p.Name)).not.toContain('bad');

    const doomed = (await root.put<ACLPolicy>('/v1/acl/policy', { body: { Name: 'doomed' } })).body;
    expect((await root.delete<boolean>(`/v1/acl/policy/${doomed.ID}`)).body).toBe(true);
    expect(await refusal(root.get(`/v1/acl/policy/${doomed.ID}`))).toEqual([404, 'Requested policy does not exist: ACL not found']);
  });

  it('issues tokens whose rules the API enforces, and shows secrets only to acl:write', async () => {
    const root = client(ROOT);
    await root.put('/v1/acl/policy', { body: { Name: 'acl-read', Rules: 'acl = "read"' } });
    await root.put('/v1/acl/policy', { body: { Name: 'kv-writer', Rules: 'key_prefix "team/" {\n  policy = "write"\n}\nkey_prefix "" {\n  policy = "read"\n}' } });
    const writer = (await root.put<ACLToken>('/v1/acl/token', { body: { Description: 'team writer', Policies: [{ Name: 'kv-writer' }] } })).body;
    expect(writer).toMatchObject({ Description: 'team writer', Local: false, Policies: [{ Name: 'kv-writer' }] });
    expect(writer.SecretID).toMatch(/^[0-9a-f-]{36}$/);

    const w = client(writer.SecretID);
    expect((await w.put<boolean>('/v1/kv/team/a', { rawBody: 'x' })).body).toBe(true);
    expect(await refusal(w.put('/v1/kv/other/a', { rawBody: 'x' }))).toEqual([403, `Permission denied: token with AccessorID '${writer.AccessorID}' lacks permission 'key:write' on "other/a"`]);

    const auditor = (await root.put<ACLToken>('/v1/acl/token', { body: { Policies: [{ Name: 'acl-read' }] } })).body;
    const seen = (await client(auditor.SecretID).get<ACLToken>(`/v1/acl/token/${writer.AccessorID}`)).body;
    expect(seen.SecretID).toBe('<hidden>');
    expect((await client(auditor.SecretID).get<ACLToken[]>('/v1/acl/tokens')).body.every((t) => t.SecretID === '<hidden>')).toBe(true);
    expect((await root.get<ACLToken>(`/v1/acl/token/${writer.AccessorID}`)).body.SecretID).toBe(writer.SecretID);
    expect(await refusal(client(auditor.SecretID).put('/v1/acl/token', { body: {} }))).toEqual([403, `Permission denied: token with AccessorID '${auditor.AccessorID}' lacks permission 'acl:write'`]);

    const byPolicy = (await root.get<ACLToken[]>('/v1/acl/tokens', { query: { policy: writer.Policies![0].ID } })).body;
    expect(byPolicy.map((t) => t.AccessorID)).toEqual([writer.AccessorID]);
  });

  it('updates, clones and deletes tokens as Consul does', async () => {
    const root = client(ROOT);
    const t = (await root.put<ACLToken>('/v1/acl/token', { body: { Description: 'svc', ServiceIdentities: [{ ServiceName: 'web' }], ExpirationTTL: '1h' } })).body;
    expect(Date.parse(t.ExpirationTime!) - Date.parse(t.CreateTime)).toBe(3_600_000);
    const updated = (await root.put<ACLToken>(`/v1/acl/token/${t.AccessorID}`, { body: { Description: 'svc web', ServiceIdentities: [{ ServiceName: 'web' }] } })).body;
    expect(updated).toMatchObject({ AccessorID: t.AccessorID, SecretID: t.SecretID, Description: 'svc web', ExpirationTime: t.ExpirationTime, CreateTime: t.CreateTime });
    expect(await refusal(root.put(`/v1/acl/token/${t.AccessorID}`, { body: { AccessorID: '9a7f7a8e-0000-4000-8000-000000000000' } }))).toEqual([400, 'Token Accessor ID in URL and payload do not match']);
    expect(await refusal(root.put(`/v1/acl/token/${t.AccessorID}`, { body: { SecretID: '9a7f7a8e-0000-4000-8000-000000000000' } }))).toEqual([400, "Changing a token's SecretID is not permitted"]);

    const clone = (await root.put<ACLToken>(`/v1/acl/token/${t.AccessorID}/clone`, { body: { Description: 'copy' } })).body;
    expect(clone).toMatchObject({ Description: 'copy', ServiceIdentities: [{ ServiceName: 'web' }], ExpirationTime: t.ExpirationTime });
    expect(clone.AccessorID).not.toBe(t.AccessorID);

    expect(await refusal(root.put('/v1/acl/token', { body: { ServiceIdentities: [{ ServiceName: 'web' }], ExpirationTTL: '10s' } }))).toEqual([400, 'ExpirationTime cannot be less than 1m0s in the future (was 10s)']);
    expect(await refusal(root.put('/v1/acl/token', { body: { ServiceIdentities: [{ ServiceName: 'Web' }] } }))).toEqual([400, `Service identity "Web" has an invalid name. Only lowercase alphanumeric characters, '-' and '_' are allowed`]);
    expect(await refusal(root.put('/v1/acl/token', { body: { Policies: [{ Name: 'missing' }] } }))).toEqual([400, 'No such ACL policy with name "missing"']);

    expect((await root.delete<boolean>(`/v1/acl/token/${clone.AccessorID}`)).body).toBe(true);
    expect(await refusal(client(clone.SecretID).get('/v1/acl/token/self'))).toEqual([404, 'Supplied token does not exist']);
    expect(await refusal(root.get(`/v1/acl/token/${clone.AccessorID}`))).toEqual([404, 'Requested token does not exist: ACL not found']);
    expect(await refusal(root.delete('/v1/acl/token/00000000-0000-0000-0000-000000000002'))).toEqual([400, 'Delete operation not permitted on the anonymous token']);
    const self = (await root.get<ACLToken>('/v1/acl/token/self')).body;
    expect(await refusal(root.delete(`/v1/acl/token/${self.AccessorID}`))).toEqual([400, "Deletion of the request's authorization token is not permitted"]);
  });

  it('grants through roles and answers the UI permission probe', async () => {
    const root = client(ROOT);
    const policy = (await root.put<ACLPolicy>('/v1/acl/policy', { body: { Name: 'ops-read', Rules: 'operator = "read"\nnode_prefix "" {\n  policy = "read"\n}' } })).body;
    const role = (await root.put<ACLRole>('/v1/acl/role', { body: { Name: 'ops', Policies: [{ Name: 'ops-read' }], ServiceIdentities: [{ ServiceName: 'api' }] } })).body;
    expect(role).toMatchObject({ Name: 'ops', Policies: [{ ID: policy.ID, Name: 'ops-read' }], ServiceIdentities: [{ ServiceName: 'api' }] });
    expect((await root.get<ACLRole>('/v1/acl/role/name/ops')).body.ID).toBe(role.ID);
    expect((await root.get<ACLRole[]>('/v1/acl/roles', { query: { policy: policy.ID } })).body.map((r) => r.ID)).toEqual([role.ID]);
    const t = (await root.put<ACLToken>('/v1/acl/token', { body: { Roles: [{ Name: 'ops' }] } })).body;
    expect(t.Roles).toEqual([{ ID: role.ID, Name: 'ops' }]);

    const probe = [
      { Resource: 'operator', Access: 'read' },
      { Resource: 'operator', Access: 'write' },
      { Resource: 'node', Segment: 'any', Access: 'read' },
      { Resource: 'service', Segment: 'api-sidecar-proxy', Access: 'write' },
      { Resource: 'service', Segment: 'db', Access: 'write' },
      { Resource: 'key', Segment: 'k', Access: 'list' },
      { Resource: 'acl', Access: 'read' },
    ];
    const answers = (await client(t.SecretID).post<ACLAuthorizationResponse[]>('/v1/internal/acl/authorize', { body: probe })).body;
    expect(answers.map((a) => a.Allow)).toEqual([true, false, true, true, false, false, false]);
    expect(answers[2]).toEqual({ Resource: 'node', Segment: 'any', Access: 'read', Allow: true });
    expect(await refusal(client(t.SecretID).post('/v1/internal/acl/authorize', { body: [{ Resource: 'nope', Access: 'read' }] }))).toEqual([400, 'Invalid ACL resource requested: "nope"']);
  });

  it("uses the agent's default token, set with PUT /v1/agent/token/default, for requests without one", async () => {
    const root = client(ROOT);
    await root.put('/v1/acl/policy', { body: { Name: 'svc-read', Rules: 'service_prefix "" {\n  policy = "read"\n}' } });
    const t = (await root.put<ACLToken>('/v1/acl/token', { body: { Policies: [{ Name: 'svc-read' }] } })).body;
    expect(await refusal(client(t.SecretID).put('/v1/agent/token/default', { body: { Token: t.SecretID } }))).toEqual([403, expect.stringContaining("lacks permission 'agent:write'")]);
    await root.put('/v1/agent/token/default', { body: { Token: t.SecretID } });
    expect((await client().get<ACLToken>('/v1/acl/token/self')).body.AccessorID).toBe(t.AccessorID);
    const [allow] = (await client().post<ACLAuthorizationResponse[]>('/v1/internal/acl/authorize', { body: [{ Resource: 'service', Segment: 'web', Access: 'read' }] })).body;
    expect(allow.Allow).toBe(true);
    expect(await refusal(root.put('/v1/agent/token/bogus', { body: { Token: 'x' } }))).toEqual([404, 'Token "bogus" is unknown']);
  });

  it('keeps tokens, policies and the bootstrap state across a restart', async () => {
    const root = client(ROOT);
    const policy = (await root.put<ACLPolicy>('/v1/acl/policy', { body: { Name: 'durable', Rules: 'event_prefix "deploy" {\n  policy = "write"\n}' } })).body;
    const t = (await root.put<ACLToken>('/v1/acl/token', { body: { Policies: [{ ID: policy.ID }] } })).body;
    const before = (await root.get<ACLToken[]>('/v1/acl/tokens')).body.length;
    await agent.stop();
    agent = await startAgent({ httpPort: agent.httpPort, args: ['-server', '-bootstrap', '-data-dir', dataDir, '-config-file', join(dataDir, 'acl.hcl')] });
    const probe = [{ Resource: 'event', Segment: 'deploy-web', Access: 'write' }, { Resource: 'event', Segment: 'other', Access: 'write' }];
    const answers = (await client(t.SecretID).post<ACLAuthorizationResponse[]>('/v1/internal/acl/authorize', { body: probe })).body;
    expect(answers.map((a) => a.Allow)).toEqual([true, false]);
    // The configured management token is not created twice, and bootstrap stays done.
    expect((await client(ROOT).get<ACLToken[]>('/v1/acl/tokens')).body.length).toBe(before);
    expect((await refusal(client().put('/v1/acl/bootstrap')))[0]).toBe(403);
  });
});

describe('an agent without ACLs', () => {
  it('answers the ACL endpoints with 401 ACL support disabled', async () => {
    const plain = await startAgent({ args: ['-dev'] });
    const [status, reason] = await refusal(plain.client.get('/v1/acl/policies'));
    expect([status, reason]).toEqual([401, 'ACL support disabled']);
    expect((await refusal(plain.client.put('/v1/acl/bootstrap')))[0]).toBe(401);
    expect((await plain.client.get('/v1/status/leader')).headers['x-consul-default-acl-policy']).toBe('allow');
  });
});
