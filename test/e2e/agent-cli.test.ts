import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, runWeft, startAgent, stopAllAgents, tempDir, type TestAgent } from './harness.js';

/** `weft services register|deregister` and `weft maint` against a dev agent. */
let agent: TestAgent;
let dir: string;

beforeAll(async () => {
  agent = await startAgent();
  dir = tempDir('weft-cli-services-');
});
afterAll(async () => {
  await stopAllAgents();
  removeDir(dir);
});

/** Go flags stop at the first argument, so the address goes right after the command words. */
const weft = (command: string, ...args: string[]) => runWeft([...command.split(' '), `-http-addr=${agent.address}`, ...args]);
const services = async () => (await agent.client.get<Record<string, { Service: string; Port: number; Tags: string[]; Meta: Record<string, string> }>>('/v1/agent/services')).body;

describe('weft services', () => {
  it('registers from a JSON file, an HCL file and flags, and deregisters by file and by -id', async () => {
    const json = join(dir, 'web.json');
    writeFileSync(json, JSON.stringify({ service: { name: 'web', port: 80, check: { ttl: '1m' } } }));
    const hcl = join(dir, 'more.hcl');
    writeFileSync(hcl, 'services = [\n  { name = "db", port = 5432 },\n  { id = "cache-1", name = "cache", port = 6379 },\n]\n');

    expect(await weft('services register', json, hcl)).toMatchObject({
      code: 0,
      stdout: 'Registered service: web\nRegistered service: db\nRegistered service: cache\n',
    });
    expect(await weft('services register', '-name=api', '-port=9000', '-tag=v1', '-tag=blue', '-meta=owner=team-a')).toMatchObject({
      code: 0,
      stdout: 'Registered service: api\n',
    });
    expect(await services()).toMatchObject({
      web: { Port: 80 },
      db: { Port: 5432 },
      'cache-1': { Service: 'cache' },
      api: { Port: 9000, Tags: ['v1', 'blue'], Meta: { owner: 'team-a' } },
    });
    expect((await agent.client.get<Record<string, unknown>>('/v1/agent/checks')).body).toHaveProperty(['service:web']);

    expect(await weft('services deregister', hcl)).toMatchObject({ code: 0, stdout: 'Deregistered service: db\nDeregistered service: cache-1\n' });
    expect(await weft('services deregister', '-id=api')).toMatchObject({ code: 0, stdout: 'Deregistered service: api\n' });
    expect(Object.keys(await services())).toEqual(['web']);
  });

  it('refuses bad input with one line and exit 1', async () => {
    expect(await weft('services register')).toMatchObject({ code: 1, stderr: 'Service registration requires at least one argument or flags.\n' });
    const bad = await weft('services register', '-name=x', '-port=70000');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Error registering service "x": Unexpected response code: 400 (Request decode failed: Port: must be between 0 and 65535, got 70000)');
    const missing = await weft('services register', join(dir, 'nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file or directory');
    expect(await weft('services deregister', '-id=ghost')).toMatchObject({ code: 1 });
  });
});

describe('weft maint', () => {
  it('enables, lists and disables node and service maintenance', async () => {
    expect(await weft('maint', '-enable', '-reason=kernel upgrade')).toMatchObject({ code: 0, stdout: 'Node maintenance is now enabled\n' });
    expect(await weft('maint', '-enable', '-service=web', '-reason=deploy')).toMatchObject({ code: 0, stdout: 'Service maintenance is now enabled for "web"\n' });
    const node = (await agent.client.get<{ Config: { NodeName: string } }>('/v1/agent/self')).body.Config.NodeName;
    const list = await weft('maint');
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n\n').filter(Boolean).sort()).toEqual([`Node:\n  Name:   ${node}\n  Reason: kernel upgrade`, 'Service:\n  ID:     web\n  Reason: deploy']);
    expect((await agent.client.get<unknown[]>('/v1/health/service/web', { query: { passing: true } })).body).toEqual([]);

    expect(await weft('maint', '-disable')).toMatchObject({ code: 0, stdout: 'Node maintenance is now disabled\n' });
    expect(await weft('maint', '-disable', '-service=web')).toMatchObject({ code: 0, stdout: 'Service maintenance is now disabled for "web"\n' });
    expect(await weft('maint')).toMatchObject({ code: 0, stdout: '' });
    expect(await weft('maint', '-enable', '-disable')).toMatchObject({ code: 1, stderr: 'Only one of -enable or -disable may be provided\n' });
    expect(await weft('maint', '-enable', '-service=ghost')).toMatchObject({ code: 1 });
  });
});
