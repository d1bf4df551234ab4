import Consul from 'consul';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, runWeft, startAgent, stopAllAgents, tempDir, type TestAgent } from './harness.js';

let agent: TestAgent;
let dir: string;
let root = '';

/** `weft ARGS` against the test agent, as the bootstrap token unless `token` says otherwise. */
const weft = (args: string[], opts: { token?: string; input?: string } = {}) =>
  runWeft(args, { env: { CONSUL_HTTP_ADDR: agent.address, CONSUL_HTTP_TOKEN: opts.token ?? root }, input: opts.input });
const field = (out: string, name: string): string => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(out)?.[1] ?? '';

beforeAll(async () => {
  dir = tempDir();
  const config = join(dir, 'acl.json');
  writeFileSync(config, JSON.stringify({ acl: { enabled: true, default_policy: 'deny' } }));
  agent = await startAgent({ args: ['-dev', '-config-file', config] });
});

afterAll(async () => {
  await stopAllAgents();
  removeDir(dir);
});

describe('weft acl', () => {
  it('bootstraps once and prints the management token', async () => {
    const first = await weft(['acl', 'bootstrap'], { token: '' });
    expect(first.code, first.stderr).toBe(0);
    expect(field(first.stdout, 'Description')).toBe('Bootstrap Token (Global Management)');
    expect(first.stdout).toMatch(/^Policies:\n {3}00000000-0000-0000-0000-000000000001 - global-management$/m);
    expect(field(first.stdout, 'Create Time')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$/);
    root = field(first.stdout, 'SecretID');
    const second = await weft(['acl', 'bootstrap'], { token: '' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^Failed ACL bootstrapping: Unexpected response code: 403 \(Permission denied: ACL bootstrap no longer allowed \(reset index: \d+\)\)\n$/);
  });

  it('manages policies from a file, stdin or inline, and refuses malformed rules', async () => {
    const file = join(dir, 'rules.hcl');
    writeFileSync(file, 'key_prefix "web/" {\n  policy = "write"\n}\n');
    const created = await weft(['acl', 'policy', 'create', '-name', 'web-kv', '-description', 'web keys', '-rules', `@${file}`]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^ID: {11}[0-9a-f-]{36}\nName: {9}web-kv\nDescription: {2}web keys\nDatacenters: {2}\nRules:\nkey_prefix "web\/" \{\n {2}policy = "write"\n\}\n/);
    const fromStdin = await weft(['acl', 'policy', 'create', '-name', 'svc-read', '-rules', '-'], { input: 'service_prefix "" {\n  policy = "read"\n}\n' });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    const inline = await weft(['acl', 'policy', 'create', '-name', 'ops', '-rules', 'operator = "read"', '-format', 'json']);
    expect(JSON.parse(inline.stdout)).toMatchObject({ Name: 'ops', Rules: 'operator = "read"' });

    const bad = await weft(['acl', 'policy', 'create', '-name', 'bad', '-rules', 'node "a" {\n  policy = "list"\n}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('Failed to create new policy: Unexpected response code: 400 (Invalid node policy at line 2: "list" in node "a" is not "read", "write" or "deny")\n');

    const read = await weft(['acl', 'policy', 'read', '-name', 'web-kv', '-meta']);
    expect(field(read.stdout, 'Hash')).toMatch(/^[0-9a-f]{64}$/);
    const id = field(read.stdout, 'ID');
    const updated = await weft(['acl', 'policy', 'update', '-id', id.slice(0, 8), '-description', 'all web keys']);
    expect(updated.code, updated.stderr).toBe(0);
    expect(field(updated.stdout, 'Description')).toBe('all web keys');
    expect(updated.stdout).toContain('key_prefix "web/"');
    const list = await weft(['acl', 'policy', 'list']);
    expect(list.stdout).toMatch(/^web-kv:\n {3}ID: {11}[0-9a-f-]{36}\n {3}Description: {2}all web keys\n {3}Datacenters: {2}\n/m);
    expect(list.stdout).toContain('global-management:');
    const del = await weft(['acl', 'policy', 'delete', '-name', 'ops']);
    expect(del.stdout).toMatch(/^Policy "[0-9a-f-]{36}" deleted successfully\n$/);
    expect(await weft(['acl', 'policy', 'delete', '-id', 'zzzz'])).toMatchObject({ code: 1, stderr: 'Error determining policy ID: No such policy ID with prefix: zzzz\n' });
  });

  it('creates tokens that work for the CLI, and reads, updates, clones, lists and deletes them', async () => {
    const created = await weft(['acl', 'token', 'create', '-description', 'web deployer', '-policy-name', 'web-kv', '-service-identity', 'web', '-node-identity', 'n1:dc1']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Policies:\n {3}[0-9a-f-]{36} - web-kv\nService Identities:\n {3}web \(Datacenters: all\)\nNode Identities:\n {3}n1 \(Datacenter: dc1\)\n/m);
    const accessor = field(created.stdout, 'AccessorID');
    const secret = field(created.stdout, 'SecretID');

    const put = await weft(['kv', 'put', 'web/config', 'v1'], { token: secret });
    expect(put.code, put.stderr).toBe(0);
    const denied = await weft(['kv', 'put', 'db/config', 'v1'], { token: secret });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain(`Permission denied: token with AccessorID '${accessor}' lacks permission 'key:write' on "db/config"`);

    const self = await weft(['acl', 'token', 'read', '-self'], { token: secret });
    expect(field(self.stdout, 'AccessorID')).toBe(accessor);
    const read = await weft(['acl', 'token', 'read', '-accessor-id', accessor.slice(0, 6)]);
    expect(field(read.stdout, 'Description')).toBe('web deployer');
    const expanded = await weft(['acl', 'token', 'read', '-accessor-id', accessor, '-expanded']);
    expect(expanded.stdout).toContain('Policy Name: web-kv');
    expect(expanded.stdout).toContain('Default Policy: deny');

    const updated = await weft(['acl', 'token', 'update', '-accessor-id', accessor, '-description', 'web deployer v2', '-append-policy-name', 'svc-read']);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(/ - web-kv\n {3}[0-9a-f-]{36} - svc-read\n/);
    expect(updated.stdout).toContain('Service Identities:\n   web (Datacenters: all)');

    const clone = await weft(['acl', 'token', 'clone', '-accessor-id', accessor, '-description', 'copy']);
    expect(clone.code, clone.stderr).toBe(0);
    const cloneId = field(clone.stdout, 'AccessorID');
    expect(cloneId).not.toBe(accessor);

    const list = await weft(['acl', 'token', 'list']);
    for (const id of [accessor, cloneId, '00000000-0000-0000-0000-000000000002']) expect(list.stdout).toContain(`AccessorID:       ${id}`);
    const del = await weft(['acl', 'token', 'delete', '-accessor-id', cloneId]);
    expect(del.stdout).toBe(`Token "${cloneId}" deleted successfully\n`);
    expect((await weft(['acl', 'token', 'read', '-accessor-id', cloneId])).code).toBe(1);
  });

  it('manages roles', async () => {
    const created = await weft(['acl', 'role', 'create', '-name', 'readers', '-description', 'read all', '-policy-name', 'svc-read', '-service-identity', 'api:dc1,dc2']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^ID: {11}[0-9a-f-]{36}\nName: {9}readers\nDescription: {2}read all\nPolicies:\n {3}[0-9a-f-]{36} - svc-read\nService Identities:\n {3}api \(Datacenters: dc1, dc2\)\n$/);
    const id = field(created.stdout, 'ID');
    const updated = await weft(['acl', 'role', 'update', '-id', id, '-name', 'all-readers']);
    expect(field(updated.stdout, 'Name')).toBe('all-readers');
    expect(updated.stdout).toContain(' - svc-read');
    const list = await weft(['acl', 'role', 'list']);
    expect(list.stdout).toMatch(/^all-readers:\n {3}ID: {11}[0-9a-f-]{36}\n {3}Description: {2}read all\n {3}Policies:\n {6}[0-9a-f-]{36} - svc-read\n/m);
    const read = await weft(['acl', 'role', 'read', '-id', id.slice(0, 8), '-format', 'json']);
    expect(JSON.parse(read.stdout)).toMatchObject({ ID: id, Name: 'all-readers', Description: 'read all' });
    expect(await weft(['acl', 'role', 'read'])).toMatchObject({ code: 1, stderr: 'Must specify either the -id or -name parameters\n' });
    expect(await weft(['acl', 'role', 'read', '-name', 'readers'])).toMatchObject({ code: 1, stderr: 'Error determining role ID: No such role with name readers\n' });
    const token = await weft(['acl', 'token', 'create', '-role-name', 'all-readers']);
    expect(token.stdout).toMatch(/^Roles:\n {3}[0-9a-f-]{36} - all-readers$/m);
    expect((await weft(['acl', 'role', 'delete', '-name', 'all-readers'])).stdout).toBe(`Role "${id}" deleted successfully\n`);
  });

  it('serves the npm consul client: its token reaches the rules, its bootstrap gets the refusal', async () => {
    const created = await weft(['acl', 'token', 'create', '-policy-name', 'web-kv']);
    const consul = new Consul({ host: '127.0.0.1', port: agent.httpPort, defaults: { token: field(created.stdout, 'SecretID') } });
    try {
      await consul.kv.set('web/from-npm', 'yes');
      expect((await consul.kv.get('web/from-npm'))?.Value).toBe('yes');
      // The client keeps a long refusal in err.response (its message is only "forbidden").
      const refused = async (call: Promise<unknown>) => {
        const err = (await call.then(() => null, (e: unknown) => e)) as { statusCode: number; response: { body: unknown } };
        return [err.statusCode, String(err.response.body)];
      };
      expect(await refused(consul.kv.set('db/from-npm', 'no'))).toEqual([403, expect.stringMatching(/^Permission denied: token with AccessorID '[0-9a-f-]{36}' lacks permission 'key:write' on "db\/from-npm"$/)]);
      expect(await refused(consul.acl.bootstrap())).toEqual([403, expect.stringMatching(/^Permission denied: ACL bootstrap no longer allowed \(reset index: \d+\)$/)]);
    } finally {
      consul.destroy();
    }
  });

  it("sets the agent's tokens, and reads the token from -token-file", async () => {
    const created = await weft(['acl', 'token', 'create', '-policy-name', 'svc-read']);
    const secret = field(created.stdout, 'SecretID');
    const set = await weft(['acl', 'set-agent-token', 'default', secret]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('ACL token "default" set successfully\n');
    const anon = await weft(['acl', 'token', 'read', '-self'], { token: '' });
    expect(field(anon.stdout, 'SecretID')).toBe(secret);
    const file = join(dir, 'token');
    writeFileSync(file, `${root}\n`);
    const viaFile = await runWeft(['acl', 'token', 'read', '-self', '-token-file', file], { env: { CONSUL_HTTP_ADDR: agent.address, CONSUL_HTTP_TOKEN: '' } });
    expect(field(viaFile.stdout, 'Description')).toBe('Bootstrap Token (Global Management)');
    expect((await weft(['acl', 'set-agent-token', 'default'])).stderr).toBe('Missing TYPE and TOKEN arguments\n');
  });
});
