import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../src/api/index.js';
import { startAgent, stopAllAgents, type TestAgent } from './harness.js';

let agent: TestAgent;
let api: ApiClient;

beforeAll(async () => {
  agent = await startAgent({ args: ['-dev', '-node', 'core-node', '-datacenter', 'east'] });
  api = agent.client;
});
afterAll(stopAllAgents);

async function raw(path: string, init: RequestInit = {}) {
  const res = await fetch(`http://${agent.address}${path}`, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('Consul HTTP conventions', () => {
  it('reads carry index, leader and last-contact headers; the index is never 0', async () => {
    const r = await raw('/v1/kv/nothing-here');
    expect(r.status).toBe(404);
    expect(Number(r.headers.get('x-consul-index'))).toBeGreaterThanOrEqual(1);
    expect(r.headers.get('x-consul-knownleader')).toBe('true');
    expect(r.headers.get('x-consul-lastcontact')).toBe('0');
    expect(r.headers.get('x-consul-default-acl-policy')).toBe('allow');
  });

  it('reports the effective consistency mode and refuses stale with consistent', async () => {
    expect((await raw('/v1/kv/a?stale')).headers.get('x-consul-effective-consistency')).toBe('stale');
    expect((await raw('/v1/kv/a?consistent')).headers.get('x-consul-effective-consistency')).toBe('consistent');
    const both = await raw('/v1/kv/a?stale&consistent');
    expect(both.status).toBe(400);
    expect(both.text).toBe('Cannot specify ?stale with ?consistent, conflicting semantics.');
  });

  it('accepts its own datacenter and answers an unknown one as Consul does', async () => {
    expect((await raw('/v1/catalog/datacenters?dc=east')).status).toBe(200);
    const r = await raw('/v1/kv/a?dc=nowhere');
    expect(r.status).toBe(500);
    expect(r.text).toBe('No path to datacenter');
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('pretty-prints with ?pretty and minifies otherwise', async () => {
    expect((await raw('/v1/catalog/datacenters')).text).toBe('["east"]');
    expect((await raw('/v1/catalog/datacenters?pretty')).text).toBe('[\n    "east"\n]');
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    const missing = await raw('/v1/nope');
    expect(missing.status).toBe(404);
    const wrong = await raw('/v1/status/leader', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.text).toBe('method DELETE not allowed');
  });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const big = new Uint8Array(512 * 1024 + 1);
    const r = await raw('/v1/kv/too-big', { method: 'PUT', body: big });
    expect(r.status).toBe(413);
    expect(r.text).toMatch(/too large, max size: 524288 bytes/);
    expect((await raw('/v1/kv/too-big')).status).toBe(404);
  });

  it('rejects a malformed index or wait with 400', async () => {
    expect(await raw('/v1/kv/a?index=abc')).toMatchObject({ status: 400, text: 'Invalid index: abc' });
    expect(await raw('/v1/kv/a?index=1&wait=5')).toMatchObject({ status: 400, text: 'Invalid wait time' });
  });
});

describe('?filter', () => {
  it('filters members with Consul’s expression language', async () => {
    const all = await api.get<{ Name: string }[]>('/v1/agent/members', { query: { filter: 'Tags.role == "consul" and Name matches "^core"' } });
    expect(all.body.map((m) => m.Name)).toEqual(['core-node']);
    const none = await api.get<unknown[]>('/v1/agent/members', { query: { filter: 'Name == "other"' } });
    expect(none.body).toEqual([]);
  });

  it('answers a bad expression with 400 and the position of the problem', async () => {
    const r = await raw(`/v1/agent/members?filter=${encodeURIComponent('Name == ')}`);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/^Failed to create boolean expression evaluator: 1:\d+/);
  });
});

describe('status, agent and catalog endpoints', () => {
  it('status/leader and status/peers name this server’s RPC address', async () => {
    expect((await api.get<string>('/v1/status/leader')).body).toMatch(/^\d+\.\d+\.\d+\.\d+:8300$/);
    const peers = (await api.get<string[]>('/v1/status/peers')).body;
    expect(peers).toEqual([(await api.get<string>('/v1/status/leader')).body]);
  });

  it('agent/self carries the fields clients read', async () => {
    const self = (await api.get<any>('/v1/agent/self')).body;
    expect(self.Config).toMatchObject({ Datacenter: 'east', NodeName: 'core-node', Server: true });
    expect(self.Config.NodeID).toMatch(/^[0-9a-f-]{36}$/);
    expect(self.Config.SessionTTLMin).toBe(10_000_000_000);
    expect(self.Member.Name).toBe('core-node');
  });

  it('agent/members lists this agent as an alive server', async () => {
    const [me] = (await api.get<any[]>('/v1/agent/members')).body;
    expect(me).toMatchObject({ Name: 'core-node', Status: 1, Tags: { role: 'consul', dc: 'east' } });
  });

  it('agent/metrics serves go-metrics JSON and Prometheus text', async () => {
    const json = (await api.get<any>('/v1/agent/metrics')).body;
    expect(json).toHaveProperty('Timestamp');
    expect(json.Gauges.some((g: { Name: string }) => g.Name === 'weft.state.index')).toBe(true);
    const prom = await raw('/v1/agent/metrics?format=prometheus');
    expect(prom.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(prom.text).toMatch(/^weft_api_http_requests_total\{/m);
  });

  it('agent/host and agent/version describe the machine and build', async () => {
    const host = (await api.get<any>('/v1/agent/host')).body;
    expect(host.Memory.Total).toBeGreaterThan(0);
    expect(host.Host.Hostname).toBeTruthy();
    const version = (await api.get<any>('/v1/agent/version')).body;
    expect(version.HumanVersion).toMatch(/weft/);
  });

  it('the API client surfaces Consul’s plain-text reason', async () => {
    await expect(api.get('/v1/kv/x', { query: { dc: 'mars' } })).rejects.toThrow(ApiError);
    await expect(api.get('/v1/kv/x', { query: { dc: 'mars' } })).rejects.toThrow('Unexpected response code: 500 (No path to datacenter)');
  });
});
