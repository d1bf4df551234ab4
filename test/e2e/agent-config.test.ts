import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runWeft, tempDir, waitFor } from './harness.js';
import { startServer, stopCluster, type ClusterAgent } from './cluster-harness.js';

/** Services and checks from config files, reload (HTTP, CLI, SIGHUP), persistence, reaping, output deferral. */
afterAll(stopCluster);

interface AgentService {
  Service: string;
  Port: number;
  Tags: string[];
}

const agentServices = async (a: ClusterAgent) => (await a.client.get<Record<string, AgentService>>('/v1/agent/services')).body;
const catalogServices = async (a: ClusterAgent) => (await a.client.get<Record<string, string[]>>('/v1/catalog/services')).body;

function configDir(files: Record<string, string>): string {
  const dir = tempDir('weft-config-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('config-file services and reload', () => {
  it('registers service {}, services [], check {} and checks [] from JSON and HCL files at start', async () => {
    const dir = configDir({
      'web.json': JSON.stringify({ service: { name: 'web', port: 80, tags: ['a'], check: { id: 'web-ttl', ttl: '1m' } } }),
      'more.hcl': `
        services = [
          { name = "db", port = 5432 },
          { name = "cache", port = 6379, tags = ["redis"] },
        ]
        check {
          id   = "disk"
          name = "disk space"
          ttl  = "1m"
        }
        checks = [{ id = "mem", name = "memory", ttl = "1m", status = "passing" }]
      `,
    });
    const agent = await startServer({ node: 'cfg', args: ['-config-dir', dir] });
    // A server syncs its own node before its API answers.
    expect(await catalogServices(agent)).toEqual({ cache: ['redis'], consul: [], db: [], web: ['a'] });
    const checks = (await agent.client.get<{ CheckID: string; Status: string; ServiceID: string }[]>('/v1/health/node/cfg')).body;
    expect(checks.map((c) => [c.CheckID, c.Status, c.ServiceID]).sort()).toEqual([
      ['disk', 'critical', ''],
      ['mem', 'passing', ''],
      ['serfHealth', 'passing', ''],
      ['web-ttl', 'critical', 'web'],
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies added, changed and removed definitions on weft reload and on SIGHUP, and refuses a bad file', async () => {
    const dir = configDir({ 'a.json': JSON.stringify({ service: { name: 'a', port: 1 } }), 'b.json': JSON.stringify({ service: { name: 'b', port: 2 } }) });
    const agent = await startServer({ node: 'reloader', args: ['-config-dir', dir] });

    writeFileSync(join(dir, 'a.json'), JSON.stringify({ service: { name: 'a', port: 11, tags: ['changed'] } }));
    rmSync(join(dir, 'b.json'));
    writeFileSync(join(dir, 'c.hcl'), 'service {\n  name = "c"\n  port = 3\n}\n');
    const r = await runWeft(['reload', `-http-addr=${agent.address}`]);
    expect(r).toMatchObject({ code: 0, stdout: 'Configuration reload triggered\n' });
    expect(await agentServices(agent)).toMatchObject({ a: { Port: 11, Tags: ['changed'] }, c: { Port: 3 } });
    expect(Object.keys(await agentServices(agent)).sort()).toEqual(['a', 'c']);
    expect(await catalogServices(agent)).toEqual({ a: ['changed'], c: [], consul: [] });

    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ service: { name: 'bad', port: 1, check: { http: 'http://x', interval: 'sometimes' } } }));
    const bad = await runWeft(['reload', `-http-addr=${agent.address}`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('sometimes');
    expect(Object.keys(await agentServices(agent)).sort()).toEqual(['a', 'c']);
    rmSync(join(dir, 'bad.json'));

    writeFileSync(join(dir, 'd.json'), JSON.stringify({ services: [{ name: 'd', port: 4 }] }));
    agent.proc.kill('SIGHUP');
    await waitFor(async () => 'd' in (await catalogServices(agent)), { what: 'SIGHUP to add d' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps HTTP registrations and maintenance across a restart, but not removed config services', async () => {
    const dir = configDir({ 'cfg.json': JSON.stringify({ service: { name: 'from-file', port: 1 } }) });
    const ports = { http: await freePort(), serf: await freePort(), server: await freePort() };
    const first = await startServer({ node: 'durable', ports, args: ['-config-dir', dir] });
    await first.client.put('/v1/agent/service/register', { body: { Name: 'api', Port: 7000, Check: { CheckID: 'api-ttl', TTL: '1h' }, Connect: { SidecarService: {} } } });
    await first.client.put('/v1/agent/check/pass/api-ttl', { query: { note: 'warm' } });
    await first.client.put('/v1/agent/service/maintenance/api', { query: { enable: 'true', reason: 'migrating' } });
    await first.kill9();

    rmSync(join(dir, 'cfg.json'));
    const second = await startServer({ node: 'durable', ports, dataDir: first.dataDir, args: ['-config-dir', dir] });
    expect(Object.keys(await agentServices(second)).sort()).toEqual(['api', 'api-sidecar-proxy']);
    expect((await agentServices(second))['api-sidecar-proxy'].Port).toBe(21000);
    const checks = (await second.client.get<Record<string, { Status: string; Output: string; Notes: string }>>('/v1/agent/checks')).body;
    expect(checks['api-ttl']).toMatchObject({ Status: 'passing', Output: 'warm' });
    expect(checks['_service_maintenance:api']).toMatchObject({ Status: 'critical', Notes: 'migrating' });
    expect(Object.keys(await catalogServices(second)).sort()).toEqual(['api', 'api-sidecar-proxy', 'consul']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('deregisters a service whose check stays critical past deregister_critical_service_after', async () => {
    const agent = await startServer({ node: 'reaper' });
    const closedPort = await freePort();
    await agent.client.put('/v1/agent/service/register', {
      body: { Name: 'flaky', Port: closedPort, Check: { TCP: `127.0.0.1:${closedPort}`, Interval: '1s', DeregisterCriticalServiceAfter: '2s' } },
    });
    expect(Object.keys(await agentServices(agent))).toEqual(['flaky']);
    await waitFor(async () => !('flaky' in (await catalogServices(agent))), { timeoutMs: 8000, what: 'the reaper to remove flaky' });
    expect(await agentServices(agent)).toEqual({});
  });

  it('shows a new output at once on the agent but syncs an output-only change later', async () => {
    const agent = await startServer({ node: 'quiet' });
    await agent.client.put('/v1/agent/check/register', { body: { Name: 'job', TTL: '1h' } });
    await agent.client.put('/v1/agent/check/pass/job', { query: { note: 'run 1' } });
    await agent.client.put('/v1/agent/check/pass/job', { query: { note: 'run 2' } });
    const local = (await agent.client.get<Record<string, { Output: string }>>('/v1/agent/checks')).body.job;
    const catalog = (await agent.client.get<{ CheckID: string; Output: string }[]>('/v1/health/node/quiet')).body.find((c) => c.CheckID === 'job');
    expect([local.Output, catalog?.Output]).toEqual(['run 2', 'run 1']);
    await agent.client.put('/v1/agent/check/fail/job', { query: { note: 'run 3' } });
    const after = (await agent.client.get<{ CheckID: string; Output: string; Status: string }[]>('/v1/health/node/quiet')).body.find((c) => c.CheckID === 'job');
    expect(after).toMatchObject({ Status: 'critical', Output: 'run 3' });
  });
});

describe('bad config-file definitions', () => {
  it('stop the agent from starting, naming the definition and the reason', async () => {
    const dir = configDir({ 'x.json': JSON.stringify({ services: [{ name: 'ok' }, { name: 'bad', port: 'eighty' }] }) });
    const r = await runWeft(['agent', '-dev', '-http-port', String(await freePort()), '-dns-port', '-1', '-config-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('services[1]: Request decode failed: Port: expected an integer, got "eighty"');
    rmSync(dir, { recursive: true, force: true });
  });
});
