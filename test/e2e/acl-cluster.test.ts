import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../src/api/index.js';
import { startClient, startServer, stopCluster, type ClusterAgent } from './cluster-harness.js';
import { dataOf, dig } from './dns-digs.js';
import { freePort, removeDir, runWeft, tempDir, waitFor, WEFT_BIN } from './harness.js';

/**
 * A cluster with default_policy = "deny": the client agent resolves tokens at the server,
 * syncs with its agent token (a node identity), each service with the token it was registered
 * with (a service identity for `web`), answers DNS with its `dns` token, and keeps serving
 * cached tokens while the server is down (down_policy = "extend-cache").
 */

const ROOT = '6b1c2d9e-52f1-4b8a-9d3e-0f1a2b3c4d5e';
let server: ClusterAgent;
let client: ClusterAgent;
let dir: string;
let dnsPort: number;
const clients: ApiClient[] = [];
const tokens: Record<string, string> = {};

function api(agent: ClusterAgent, token?: string): ApiClient {
  const c = new ApiClient({ address: agent.address, token });
  clients.push(c);
  return c;
}

async function refusal(call: Promise<unknown>): Promise<[number, string]> {
  const err = await call.then(() => null, (e: unknown) => e);
  if (!(err instanceof ApiError)) throw new Error(`expected a refusal, got ${JSON.stringify(err)}`);
  return [err.statusCode, err.reason];
}

function aclConfig(name: string, extra = ''): string {
  const file = join(dir, `${name}.hcl`);
  writeFileSync(file, `acl {\n  enabled = true\n  default_policy = "deny"\n  down_policy = "extend-cache"\n  enable_token_persistence = true\n${extra}}\n`);
  return file;
}

async function createToken(root: ApiClient, body: Record<string, unknown>): Promise<{ AccessorID: string; SecretID: string }> {
  return (await root.put<{ AccessorID: string; SecretID: string }>('/v1/acl/token', { body })).body;
}

const catalogServices = async (root: ApiClient, node: string) =>
  Object.keys((await root.get<{ Services: Record<string, unknown> } | null>(`/v1/catalog/node/${node}`)).body?.Services ?? {}).sort();

beforeAll(async () => {
  dir = tempDir();
  dnsPort = await freePort();
  server = await startServer({ node: 'srv', args: ['-config-file', aclConfig('server', `  tokens {\n    initial_management = "${ROOT}"\n  }\n`)], readyPath: '/v1/agent/version' });
  const root = api(server, ROOT);
  tokens.agent = (await createToken(root, { Description: 'client1 agent', NodeIdentities: [{ NodeName: 'client1', Datacenter: 'dc1' }] })).SecretID;
  const web = await createToken(root, { Description: 'web', ServiceIdentities: [{ ServiceName: 'web' }] });
  tokens.web = web.SecretID;
  tokens.webAccessor = web.AccessorID;
  const policy = (await root.put<{ ID: string }>('/v1/acl/policy', { body: { Name: 'dns-read', Rules: 'service_prefix "" {\n  policy = "read"\n}\nnode_prefix "" {\n  policy = "read"\n}\n' } })).body;
  tokens.dns = (await createToken(root, { Description: 'dns', Policies: [{ ID: policy.ID }] })).SecretID;
  client = await startClient(server, {
    node: 'client1',
    // A short token_ttl, so the test sees the client ask again (and fail) while the server is down.
    args: ['-config-file', aclConfig('client', `  token_ttl = "1s"\n  tokens {\n    agent = "${tokens.agent}"\n  }\n`), '-dns-port', String(dnsPort)],
    readyPath: '/v1/agent/version',
  });
  await waitFor(async () => (await root.get<{ Node: string }[]>('/v1/catalog/nodes')).body.some((n) => n.Node === 'client1'), { what: 'the client to join' });
}, 60_000);

afterAll(async () => {
  clients.forEach((c) => c.close());
  await stopCluster();
  removeDir(dir);
});

describe('a client agent in a cluster with default_policy = "deny"', () => {
  it('resolves tokens at the server: unknown ones are refused, known ones get their rights', async () => {
    expect(await refusal(api(client, '3f0e6a55-0000-4000-8000-000000000000').get('/v1/agent/self'))).toEqual([403, 'ACL not found']);
    const [status, reason] = await refusal(api(client).get('/v1/agent/self'));
    expect(status).toBe(403);
    expect(reason).toMatch(/^Permission denied: anonymous token lacks permission 'agent:read' on "client1"/);
    expect((await api(client, ROOT).get<{ Config: { NodeName: string } }>('/v1/agent/self')).body.Config.NodeName).toBe('client1');
  });

  it('lets a service-identity token register its service and sidecar, and syncs them with that token', async () => {
    const sidecarPort = await freePort();
    await api(client, tokens.web).put('/v1/agent/service/register', { body: { Name: 'web', Port: 8080, Connect: { SidecarService: { Port: sidecarPort } } } });
    const root = api(server, ROOT);
    await waitFor(async () => (await catalogServices(root, 'client1')).join(',') === 'web,web-sidecar-proxy', { what: 'web and its sidecar in the catalog' });
    // What the sidecar asks for with its token: the leaf of its service and the intentions it enforces.
    const sidecar = api(client, tokens.web);
    const leaf = (await sidecar.get<{ Service: string; CertPEM: string }>('/v1/agent/connect/ca/leaf/web')).body;
    expect(leaf.Service).toBe('web');
    expect(leaf.CertPEM).toMatch(/BEGIN CERTIFICATE/);
    expect((await sidecar.get<Record<string, unknown[]>>('/v1/connect/intentions/match', { query: { by: 'destination', name: 'web' } })).body).toEqual({ web: [] });
    const authz = (await sidecar.post<{ Authorized: boolean }>('/v1/agent/connect/authorize', { body: { Target: 'web', ClientCertURI: 'spiffe://11111111-2222-3333-4444-555555555555.consul/ns/default/dc/dc1/svc/db' } })).body;
    expect(authz.Authorized).toBe(false);
    expect(await refusal(sidecar.get('/v1/agent/connect/ca/leaf/db'))).toEqual([403, `Permission denied: token with AccessorID '${tokens.webAccessor}' lacks permission 'service:write' on "db"`]);

    // The sidecar proxy itself runs with nothing but the service-identity token.
    const proxy = spawn(process.execPath, [WEFT_BIN, 'connect', 'proxy', '-sidecar-for', 'web', `-http-addr=${client.address}`, `-token=${tokens.web}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proxy.stdout.on('data', (c) => (out += c));
    proxy.stderr.on('data', (c) => (out += c));
    try {
      await waitFor(() => {
        if (proxy.exitCode !== null) throw new Error(`the proxy exited: ${out}`);
        return out.includes(`public listener started address=0.0.0.0:${sidecarPort}`);
      }, { what: 'the sidecar proxy to start' });
    } finally {
      proxy.kill('SIGKILL');
    }
  });

  it('refuses to register a service the token has no service:write on, and stores nothing', async () => {
    const [status, reason] = await refusal(api(client, tokens.web).put('/v1/agent/service/register', { body: { Name: 'db', Port: 5432 } }));
    expect(status).toBe(403);
    expect(reason).toBe(`Permission denied: token with AccessorID '${tokens.webAccessor}' lacks permission 'service:write' on "db"`);
    expect(await refusal(api(client).put('/v1/agent/service/register', { body: { Name: 'db', Port: 5432 } }))).toEqual([
      403,
      `Permission denied: anonymous token lacks permission 'service:write' on "db". The anonymous token is used implicitly when a request does not specify a token.`,
    ]);
    expect(Object.keys((await api(client, ROOT).get<Record<string, unknown>>('/v1/agent/services')).body).sort()).toEqual(['web', 'web-sidecar-proxy']);
    expect(await catalogServices(api(server, ROOT), 'client1')).toEqual(['web', 'web-sidecar-proxy']);
  });

  it('forwards requests without a token as the anonymous token, and with one as that token', async () => {
    expect(await refusal(api(client).get('/v1/kv/x'))).toEqual([403, `Permission denied: anonymous token lacks permission 'key:read' on "x". The anonymous token is used implicitly when a request does not specify a token.`]);
    const nodes = (await api(client, tokens.web).get<{ Node: string }[]>('/v1/catalog/nodes')).body.map((n) => n.Node).sort();
    expect(nodes).toEqual(['client1', 'srv']);
  });

  it("answers DNS with the agent's dns token, and NXDOMAIN for what it may not read", async () => {
    expect((await dig(dnsPort, ['web.service.consul', 'A'])).status).toBe('NXDOMAIN');
    expect((await dig(dnsPort, ['client1.node.consul', 'A'])).status).toBe('NXDOMAIN');
    const set = await runWeft(['acl', 'set-agent-token', `-http-addr=${client.address}`, `-token=${ROOT}`, 'dns', tokens.dns]);
    expect(set).toMatchObject({ code: 0 });
    await waitFor(async () => dataOf((await dig(dnsPort, ['client1.node.consul', 'A'])).answer, 'A')[0] === '127.0.0.1', { what: 'the node to resolve with the dns token' });
    await waitFor(async () => (await dig(dnsPort, ['web.service.consul', 'SRV'])).answer.length === 1, { what: 'web to resolve with the dns token' });
    // Persisted (enable_token_persistence) in Consul's file, for the next start.
    const persisted = JSON.parse(readFileSync(join(client.dataDir, 'acl-tokens.json'), 'utf8')) as Record<string, string>;
    expect(persisted.dns).toBe(tokens.dns);
  });

  it('syncs its node only once it has an agent token that may write it', async () => {
    const root = api(server, ROOT);
    const second = await startClient(server, { node: 'client2', args: ['-config-file', aclConfig('client2')], readyPath: '/v1/agent/version' });
    // Until it has joined, the client can ask no server about the token (and denies it: down_policy).
    await waitFor(async () => (await api(second, ROOT).get('/v1/agent/self')).status === 200, { what: 'client2 to join and resolve tokens' });
    await api(second, ROOT).put('/v1/agent/service/register', { body: { Name: 'cache', Port: 6379 } });
    // Without an agent (or default) token the sync acts as anonymous, which may not write the node.
    await waitFor(() => /failed to sync remote state/.test(second.stdout + second.stderr), { what: 'the sync to be refused' });
    expect(await catalogServices(root, 'client2')).toEqual([]);
    const token = (await createToken(root, { Description: 'client2 agent', NodeIdentities: [{ NodeName: 'client2', Datacenter: 'dc1' }] })).SecretID;
    expect(await runWeft(['acl', 'set-agent-token', `-http-addr=${second.address}`, `-token=${ROOT}`, 'agent', token])).toMatchObject({ code: 0 });
    // A new agent token syncs at once: the registration (made with the management token) lands.
    await waitFor(async () => (await catalogServices(root, 'client2')).includes('cache'), { what: 'the node to sync with its agent token' });
  });

  it('keeps honouring the tokens it has seen while the server is down (extend-cache), and denies new ones', async () => {
    const web = api(client, tokens.web);
    expect(Object.keys((await web.get<Record<string, unknown>>('/v1/agent/services')).body).sort()).toEqual(['web', 'web-sidecar-proxy']);
    await server.stop();
    const failures = () => (client.stdout + client.stderr).split('could not resolve an ACL token at a server').length - 1;
    const before = failures();
    // Past token_ttl the client asks the server again, fails, and goes on with what it has.
    await waitFor(
      async () => {
        expect(Object.keys((await web.get<Record<string, unknown>>('/v1/agent/services')).body).sort()).toEqual(['web', 'web-sidecar-proxy']);
        return failures() > before;
      },
      { what: 'the client to fail to refresh the token', timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(Object.keys((await web.get<Record<string, unknown>>('/v1/agent/services')).body).sort()).toEqual(['web', 'web-sidecar-proxy']);
    const [status, reason] = await refusal(api(client, 'aaaaaaaa-0000-4000-8000-000000000000').get('/v1/agent/self'));
    expect(status).toBe(403);
    expect(reason).toMatch(/^Permission denied: token with AccessorID 'primary-dc-down' lacks permission/);
    expect(existsSync(join(client.dataDir, 'acl-tokens.json'))).toBe(true);
  });

  it('never writes a token secret to its logs', () => {
    const logs = server.stdout + server.stderr + client.stdout + client.stderr;
    expect(logs).toContain('ACLs enabled');
    for (const secret of [ROOT, tokens.agent, tokens.web, tokens.dns]) expect(logs).not.toContain(secret);
  });
});
