import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort, removeDir, runWeft, startAgent, stopAllAgents, tempDir } from './harness.js';

const dirs: string[] = [];
afterEach(stopAllAgents);
afterAll(() => dirs.forEach(removeDir));

function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

describe('weft agent', () => {
  it('stops gracefully on SIGTERM and SIGINT, removing its pid file', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const pidFile = join(dir(), 'weft.pid');
      const agent = await startAgent({ args: ['-dev', '-pid-file', pidFile] });
      expect(existsSync(pidFile)).toBe(true);
      expect(await agent.stop(signal)).toBe(0);
      expect(existsSync(pidFile)).toBe(false);
      expect(agent.stderr).toMatch(/caught signal, shutting down/);
    }
  });

  it('answers open blocking queries when it stops', async () => {
    const agent = await startAgent();
    await agent.client.put('/v1/kv/k', { rawBody: 'v' });
    const idx = (await agent.client.get('/v1/kv/k')).meta.index;
    const pending = agent.client.get('/v1/kv/k', { query: { index: idx, wait: '5m' } }).catch((e) => e);
    await agent.stop();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('fails with one line when its port is taken', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const r = await runWeft(['agent', '-dev', '-http-port', String(port), '-dns-port', '-1']);
      expect(r.code).toBe(1);
      // Startup logs may come first; the error is one line, and the last.
      expect(r.stderr.trim().split('\n').at(-1)).toBe(`Error starting HTTP server: listen tcp 127.0.0.1:${port}: bind: address already in use`);
    } finally {
      blocker.close();
    }
  });

  it('reads JSON and HCL config files and config dirs, with flags winning', async () => {
    const d = dir();
    const port = await freePort();
    writeFileSync(join(d, 'a.json'), JSON.stringify({ datacenter: 'from-json', node_name: 'json-node' }));
    writeFileSync(join(d, 'b.hcl'), 'node_name = "hcl-node"\nnode_meta { rack = "r1" }\n');
    const agent = await startAgent({ args: ['-dev', '-config-dir', d, '-datacenter', 'from-flag'], httpPort: port });
    const self = (await agent.client.get<any>('/v1/agent/self')).body;
    expect(self.Config.Datacenter).toBe('from-flag');
    expect(self.Config.NodeName).toBe('hcl-node');
    expect(self.Meta).toEqual({ rack: 'r1' });
  });

  it('refuses a bad config file before it binds anything, naming the file and the reason', async () => {
    const d = dir();
    const port = await freePort();
    const file = join(d, 'bad.hcl');
    writeFileSync(file, 'ports {\n  http = "eighty"\n}\n');
    const r = await runWeft(['agent', '-dev', '-config-file', file, '-http-port', String(port)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/ports\.http/);
    // Nothing started: the port is still free.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
    probe.close();
  });

  it('logs JSON with -log-json', async () => {
    const agent = await startAgent({ args: ['-dev', '-log-json'] });
    const line = agent.stderr.split('\n').find((l) => l.includes('agent started'))!;
    expect(JSON.parse(line)).toMatchObject({ msg: 'agent started', '@module': 'agent' });
  });

  it('is stopped by weft leave', async () => {
    const agent = await startAgent();
    const r = await runWeft(['leave', `-http-addr=${agent.address}`]);
    expect(r).toMatchObject({ code: 0, stdout: 'Graceful leave complete\n' });
    expect(await agent.waitExit()).toBe(0);
  });
});
