import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CARoots, LeafCert } from '../../src/api/connect.js';
import { removeDir, runWeft, startAgent, stopAllAgents, tempDir, waitFor, type TestAgent } from './harness.js';
import { redisCli, redisConnection, startProxy, startRedis, stopConnectProcesses, waitForMeshInstances, writeRedisMesh, type RedisMesh } from './connect-harness.js';

/**
 * A CA rotation (a new key type through /v1/connect/ca/configuration) while a connection runs
 * through both sidecars: the open connection keeps working, every new connection made during
 * the rotation succeeds, and the sidecars end up presenting leaves of the new root.
 */
let agent: TestAgent;
let dir: string;
let ports: RedisMesh;

beforeAll(async () => {
  const redis = await startRedis();
  dir = tempDir('weft-connect-rotation-');
  const mesh = await writeRedisMesh(dir, redis.port);
  ports = mesh.ports;
  agent = await startAgent({ args: ['-dev', '-config-file', mesh.file] });
  await startProxy(agent, ['-sidecar-for', 'redis']);
  await startProxy(agent, ['-sidecar-for', 'web']);
  await waitForMeshInstances(agent, 'redis');
});

afterAll(async () => {
  await stopConnectProcesses();
  await stopAllAgents();
  removeDir(dir);
});

/** The serial of the certificate the redis sidecar presents to a new caller right now. */
function presentedSerial(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => {
      const serial = s.getPeerCertificate().serialNumber;
      s.destroy();
      resolve(serial);
    });
    s.on('error', reject);
  });
}

const bare = (colonHex: string) => colonHex.replaceAll(':', '').toUpperCase().replace(/^0+/, '');

describe('CA rotation under load', () => {
  it('keeps the open connection and every new one working while the sidecars move to the new root', async () => {
    const open = await redisConnection(ports.upstream);
    expect(await open.command('SET', 'rotation', 'before')).toBe('+OK');
    const leafOf = async (service: string) => (await agent.client.get<LeafCert>(`/v1/agent/connect/ca/leaf/${service}`)).body;
    const oldLeaf = await leafOf('redis');
    const oldWeb = await leafOf('web');
    expect(bare(await presentedSerial(ports.redisSidecar))).toBe(bare(oldLeaf.SerialNumber));

    // New connections, one after another, for the whole rotation.
    let stop = false;
    const outcomes: string[] = [];
    const load = (async () => {
      while (!stop) outcomes.push((await redisCli(ports.upstream, ['ping'])).stdout.trim() || 'failed');
    })();

    const file = join(dir, 'rsa.json');
    writeFileSync(file, JSON.stringify({ Provider: 'consul', Config: { PrivateKeyType: 'rsa', PrivateKeyBits: 2048 } }));
    const set = await runWeft(['connect', 'ca', 'set-config', '-http-addr', agent.address, '-config-file', file]);
    expect(set.code, set.stderr).toBe(0);
    const roots = (await agent.client.get<CARoots>('/v1/connect/ca/roots')).body;
    expect(roots.Roots).toHaveLength(2);
    const active = roots.Roots.find((r) => r.Active)!;
    expect(active.PrivateKeyType).toBe('rsa');

    // The agent re-signs its leaves within its jitter window; the sidecar then presents the new one.
    const newLeaf = await waitFor(async () => ((await leafOf('redis')).SerialNumber !== oldLeaf.SerialNumber ? leafOf('redis') : null), {
      timeoutMs: 30_000,
      what: 'the redis leaf to be re-signed on the new root',
    });
    await waitFor(async () => bare(await presentedSerial(ports.redisSidecar)) === bare(newLeaf!.SerialNumber), { timeoutMs: 10_000, what: 'the sidecar to present the new leaf' });
    await waitFor(async () => (await leafOf('web')).SerialNumber !== oldWeb.SerialNumber, { timeoutMs: 30_000, what: 'the web leaf to be re-signed' });
    // A few more connections with both sides on the new root.
    const after = outcomes.length;
    await waitFor(() => outcomes.length >= after + 3, { timeoutMs: 20_000, what: 'connections after the rotation' });
    stop = true;
    await load;

    expect(outcomes.length).toBeGreaterThan(5);
    expect(outcomes.filter((o) => o !== 'PONG')).toEqual([]);
    expect(await open.command('GET', 'rotation')).toBe('before');
    open.close();
  });
});
