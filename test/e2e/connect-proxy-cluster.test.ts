import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir, waitFor } from './harness.js';
import { startClient, startServer, stopCluster } from './cluster-harness.js';
import { redisCli, startProxy, startRedis, stopConnectProcesses, writeRedisMesh } from './connect-harness.js';

/**
 * Sidecars run against a client agent: the client owns the registrations and forwards the
 * snapshot query (with its node's name) to the server, which holds the CA and the catalog.
 */
const dirs: string[] = [];

afterAll(async () => {
  await stopConnectProcesses();
  await stopCluster();
  dirs.forEach(removeDir);
});

describe('weft connect proxy on a client agent', () => {
  it('gets its snapshot through the client and carries redis-cli to redis', async () => {
    const redis = await startRedis();
    const dir = tempDir('weft-connect-cluster-');
    dirs.push(dir);
    const mesh = await writeRedisMesh(dir, redis.port);
    const server = await startServer({ node: 'server1' });
    const client = await startClient(server, { node: 'client1', args: ['-config-file', mesh.file] });
    await waitFor(async () => (await server.client.get<unknown[]>('/v1/catalog/service/redis-sidecar-proxy')).body.length === 1, { what: 'the client to sync its services' });

    const redisSidecar = await startProxy(client, ['-sidecar-for', 'redis']);
    await startProxy(client, ['-sidecar-for', 'web']);
    await waitFor(async () => (await server.client.get<unknown[]>('/v1/health/connect/redis', { query: { passing: true } })).body.length === 1, {
      timeoutMs: 30_000,
      what: 'the redis sidecar to pass its check',
    });
    expect(redisSidecar.stdout).toContain('Proxy ID: redis-sidecar-proxy');
    expect((await redisCli(mesh.ports.upstream, ['set', 'from', 'client-agent'])).stdout.trim()).toBe('OK');
    expect((await redisCli(redis.port, ['get', 'from'])).stdout.trim()).toBe('client-agent');
  });
});
