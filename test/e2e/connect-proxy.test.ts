import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/index.js';
import { freePort, removeDir, runWeft, startAgent, stopAllAgents, tempDir, waitFor, type TestAgent } from './harness.js';
import { redisCli, redisConnection, startProxy, startRedis, stopConnectProcesses, waitForMeshInstances, writeRedisMesh, type ProxyProcess, type RedisMesh } from './connect-harness.js';

/**
 * The built-in proxy between real processes: redis-server behind its sidecar, `redis-cli`
 * through web's sidecar upstream port, intentions enforced on new connections, strangers
 * refused at the public port, an impostor instance refused by the dialing sidecar.
 */
let agent: TestAgent;
let redis: { port: number };
let dir: string;
let webSidecar: ProxyProcess;
let ports: RedisMesh & { metrics: number };

beforeAll(async () => {
  redis = await startRedis();
  dir = tempDir('weft-connect-proxy-');
  const mesh = await writeRedisMesh(dir, redis.port);
  ports = { ...mesh.ports, metrics: await freePort() };
  agent = await startAgent({ args: ['-dev', '-config-file', mesh.file] });
  await startProxy(agent, ['-sidecar-for', 'redis', '-metrics-addr', `127.0.0.1:${ports.metrics}`]);
  webSidecar = await startProxy(agent, ['-sidecar-for', 'web']);
  await waitForMeshInstances(agent, 'redis');
});

afterAll(async () => {
  await stopConnectProcesses();
  await stopAllAgents();
  removeDir(dir);
});

async function metrics(): Promise<string> {
  const c = new ApiClient({ address: `http://127.0.0.1:${ports.metrics}` });
  try {
    return String((await c.get<string>('/metrics')).body);
  } finally {
    c.close();
  }
}

const metricValue = (text: string, series: string): number => Number(text.split('\n').find((l) => l.startsWith(series))?.split(' ').pop() ?? 0);

describe('weft connect proxy', () => {
  it('carries redis-cli through the upstream port to redis-server behind its sidecar', async () => {
    expect((await redisCli(ports.upstream, ['set', 'mesh-key', 'through-two-sidecars'])).stdout.trim()).toBe('OK');
    expect((await redisCli(redis.port, ['get', 'mesh-key'])).stdout.trim()).toBe('through-two-sidecars');
    expect((await redisCli(ports.upstream, ['get', 'mesh-key'])).stdout.trim()).toBe('through-two-sidecars');
    const text = await metrics();
    expect(metricValue(text, 'weft_proxy_connections_total{listener="public"}')).toBeGreaterThanOrEqual(2);
    expect(metricValue(text, 'weft_proxy_bytes_received_total{listener="public"}')).toBeGreaterThan(0);
  });

  it("enforces the seed's intentions on new connections within a second, leaving open ones alone", async () => {
    const open = await redisConnection(ports.upstream);
    try {
      expect(await open.command('PING')).toBe('+PONG');
      const deny = await runWeft(['intention', 'create', '-http-addr', agent.address, '-deny', 'web', '*']);
      expect(deny.stdout.trim()).toBe('Created: web => * (deny)');
      const denyAt = Date.now();
      await waitFor(async () => (await redisCli(ports.upstream, ['ping'])).stdout.trim() !== 'PONG', { timeoutMs: 1000, intervalMs: 20, what: 'the deny to apply' });
      expect(Date.now() - denyAt).toBeLessThan(1000);
      expect(await open.command('PING')).toBe('+PONG');
      expect(metricValue(await metrics(), 'weft_proxy_denied_connections_total{listener="public",reason="intention"}')).toBeGreaterThanOrEqual(1);

      const allow = await runWeft(['intention', 'create', '-http-addr', agent.address, '-allow', 'web', 'redis']);
      expect(allow.stdout.trim()).toBe('Created: web => redis (allow)');
      const allowAt = Date.now();
      await waitFor(async () => (await redisCli(ports.upstream, ['ping'])).stdout.trim() === 'PONG', { timeoutMs: 1000, intervalMs: 20, what: 'the allow to apply' });
      expect(Date.now() - allowAt).toBeLessThan(1000);
    } finally {
      open.close();
      await runWeft(['intention', 'delete', '-http-addr', agent.address, 'web', '*']);
      await runWeft(['intention', 'delete', '-http-addr', agent.address, 'web', 'redis']);
    }
  });

  it('refuses plain TCP and TLS clients without a valid mesh certificate at the public port', async () => {
    const before = metricValue(await metrics(), 'weft_proxy_tls_handshake_errors_total{listener="public"}');
    expect((await redisCli(ports.redisSidecar, ['ping'])).stdout).not.toContain('PONG');

    const closedWith = (socket: ReturnType<typeof tcpConnect>): Promise<string> =>
      new Promise((resolve) => {
        let got = '';
        socket.on('data', (d) => (got += d));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(got));
      });
    const plain = tcpConnect({ port: ports.redisSidecar, host: '127.0.0.1' }, () => plain.write('*1\r\n$4\r\nPING\r\n'));
    expect(await closedWith(plain)).toBe('');

    const noCert = tlsConnect({ port: ports.redisSidecar, host: '127.0.0.1', rejectUnauthorized: false }, () => noCert.write('*1\r\n$4\r\nPING\r\n'));
    expect(await closedWith(noCert)).toBe('');

    // A certificate of some other CA, even one claiming to be web.
    const key = join(dir, 'stranger.key');
    const cert = join(dir, 'stranger.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=web', '-addext', 'subjectAltName=URI:spiffe://stranger.consul/ns/default/dc/dc1/svc/web'], { stdio: 'ignore' });
    const stranger = tlsConnect({ port: ports.redisSidecar, host: '127.0.0.1', rejectUnauthorized: false, key: readFileSync(key), cert: readFileSync(cert) }, () => stranger.write('*1\r\n$4\r\nPING\r\n'));
    expect(await closedWith(stranger)).toBe('');

    await waitFor(async () => metricValue(await metrics(), 'weft_proxy_tls_handshake_errors_total{listener="public"}') >= before + 4, { what: 'four handshake errors counted' });
  });

  it('refuses an instance that presents another identity, and uses the genuine one again when it is back', async () => {
    // An impostor: a proxy with a valid mesh certificate for "api", listed in the catalog as a redis sidecar.
    const impostorPort = await freePort();
    await startProxy(agent, ['-service', 'api', '-listen', `127.0.0.1:${impostorPort}`, '-service-addr', `127.0.0.1:${redis.port}`]);
    await agent.client.put('/v1/catalog/register', {
      body: {
        Node: 'evil',
        Address: '127.0.0.1',
        Service: { Kind: 'connect-proxy', ID: 'redis-sidecar-proxy', Service: 'redis-sidecar-proxy', Port: impostorPort, Proxy: { DestinationServiceName: 'redis' } },
      },
    });
    await waitForMeshInstances(agent, 'redis', 2);
    // With the genuine sidecar in maintenance, only the impostor is left: every dial must fail.
    expect((await runWeft(['maint', '-http-addr', agent.address, '-enable', '-service', 'redis-sidecar-proxy'])).code).toBe(0);
    await waitForMeshInstances(agent, 'redis', 1);
    for (let i = 0; i < 3; i++) expect((await redisCli(ports.upstream, ['ping'])).stdout).not.toContain('PONG');
    expect(webSidecar.stdout).toMatch(/upstream dial failed .*peer presented spiffe:\/\/[^ ]+\/svc\/api, want spiffe:\/\/[^ ]+\/svc\/redis/);

    expect((await runWeft(['maint', '-http-addr', agent.address, '-disable', '-service', 'redis-sidecar-proxy'])).code).toBe(0);
    await waitForMeshInstances(agent, 'redis', 2);
    // Whichever instance a dial starts with, the retry reaches the genuine one.
    for (let i = 0; i < 4; i++) expect((await redisCli(ports.upstream, ['ping'])).stdout.trim()).toBe('PONG');
    await agent.client.put('/v1/catalog/deregister', { body: { Node: 'evil' } });
  });

  it('masquerades as a service without registering: -service web -upstream redis:PORT', async () => {
    const port = await freePort();
    const p = await startProxy(agent, ['-service', 'web', '-upstream', `redis:${port}`]);
    expect(p.stdout).toContain('Configuration mode: Flags');
    expect(p.stdout).toContain(`Upstream: redis => 127.0.0.1:${port}`);
    expect((await redisCli(port, ['get', 'mesh-key'])).stdout.trim()).toBe('through-two-sidecars');
    const services = (await agent.client.get<Record<string, unknown>>('/v1/agent/services')).body;
    expect(Object.keys(services).sort()).toEqual(['redis', 'redis-sidecar-proxy', 'web', 'web-sidecar-proxy']);
    expect(await p.stop()).toBe(0);
    expect(p.stdout).toContain('Weft Connect proxy shutdown');
  });

  it('registers itself with -register and deregisters on exit', async () => {
    const port = await freePort();
    const p = await startProxy(agent, ['-service', 'cache', '-listen', `127.0.0.1:${port}`, '-service-addr', `127.0.0.1:${redis.port}`, '-register', '-register-id', 'a']);
    const health = async () => (await agent.client.get<{ Service: { ID: string; Port: number; Kind: string }; Checks: { CheckID: string; Status: string }[] }[]>('/v1/health/connect/cache')).body;
    const [entry] = await health();
    expect(entry.Service).toMatchObject({ ID: 'cache-proxy-a', Port: port, Kind: 'connect-proxy' });
    expect(entry.Checks.find((c) => c.CheckID === 'cache-proxy-a-ttl')?.Status).toBe('passing');
    expect(await p.stop()).toBe(0);
    expect(await health()).toEqual([]);
  });

  it('fails clearly on a proxy it cannot find or flags it cannot use', async () => {
    const none = await runWeft(['connect', 'proxy', '-http-addr', agent.address, '-sidecar-for', 'nothing']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No sidecar proxy registered for nothing');
    const unknown = await runWeft(['connect', 'proxy', '-http-addr', agent.address, '-proxy-id', 'ghost']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown proxy service ID: ghost');
    const bad = await runWeft(['connect', 'proxy', '-http-addr', agent.address, '-service', 'web', '-upstream', 'redis']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Upstream value should be name:addr in "redis"');
    const reg = await runWeft(['connect', 'proxy', '-http-addr', agent.address, '-service', 'web', '-register']);
    expect(reg.code).toBe(1);
    expect(reg.stderr).toContain('-register may only be specified with -service and -listen');
  });
});
