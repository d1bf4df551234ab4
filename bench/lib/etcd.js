// Debian's etcd (`etcd-server`) for benchmarks: an N-member cluster on free loopback ports,
// data in a fresh temp dir, default fsync. Every member is tracked by processes.js, so it
// is killed if the benchmark fails or is interrupted.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from './http.js';
import { freePort, sleep, stopProcess, track } from './processes.js';

/** `etcd --version`'s first line, installing Debian's etcd-server first when running as root; null if unavailable. */
export function ensureEtcd(log) {
  const version = () => {
    try {
      return execFileSync('etcd', ['--version'], { encoding: 'utf8' }).split('\n')[0];
    } catch {
      return null;
    }
  };
  if (version() || process.getuid?.() !== 0) return version();
  log('  installing Debian etcd-server ...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', '-qq', 'etcd-server'], { stdio: 'ignore', env });
  } catch {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'etcd-server'], { stdio: 'ignore', env });
  }
  return version();
}

/** Starts `size` members; resolves once the cluster has a leader. `stop()` ends them and removes the data. */
export async function startEtcdCluster(size) {
  const root = mkdtempSync(join(tmpdir(), 'weft-bench-etcd-'));
  const members = [];
  for (let i = 0; i < size; i++) members.push({ name: `e${i}`, client: await freePort(), peer: await freePort() });
  const initial = members.map((m) => `${m.name}=http://127.0.0.1:${m.peer}`).join(',');
  for (const m of members) {
    const c = `http://127.0.0.1:${m.client}`;
    const p = `http://127.0.0.1:${m.peer}`;
    m.child = track(
      spawn('etcd', [
        '--name', m.name, '--data-dir', join(root, m.name),
        '--listen-client-urls', c, '--advertise-client-urls', c,
        '--listen-peer-urls', p, '--initial-advertise-peer-urls', p,
        '--initial-cluster', initial, '--initial-cluster-state', 'new', '--initial-cluster-token', `bench-${process.pid}-${size}`,
        '--logger', 'zap', '--log-level', 'error',
      ], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  }
  const stop = async () => {
    for (const m of members) await stopProcess(m.child);
    rmSync(root, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const m of members) {
      if (m.child.exitStatus) {
        await stop();
        throw new Error(`etcd ${m.name} exited: ${m.child.tail}`);
      }
    }
    try {
      const r = await request({ port: members[0].client, method: 'GET', path: '/health', timeoutMs: 1000 });
      if (r.status === 200 && r.body.toString().includes('"true"')) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('etcd did not become healthy in 30 s');
    }
    await sleep(100);
  }
  return { members, endpoints: members.map((m) => `http://127.0.0.1:${m.client}`), port: members[0].client, pids: members.map((m) => m.child.pid), stop };
}
