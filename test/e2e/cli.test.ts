import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, runWeft, startAgent, stopAllAgents, tempDir, type TestAgent } from './harness.js';

let agent: TestAgent;
const d = tempDir();
beforeAll(async () => {
  agent = await startAgent({ args: ['-dev', '-node', 'cli-node'] });
});
afterAll(async () => {
  await stopAllAgents();
  removeDir(d);
});

describe('weft CLI', () => {
  it('prints its version', async () => {
    const r = await runWeft(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Weft v\d+\.\d+\.\d+/);
    expect((await runWeft(['--version'])).stdout).toBe(r.stdout);
  });

  it('lists members as consul does, with every Go flag form for the address', async () => {
    for (const form of [['-http-addr', agent.address], [`-http-addr=${agent.address}`], ['--http-addr', agent.address], [`--http-addr=${agent.address}`]]) {
      const r = await runWeft(['members', ...form]);
      expect(r.code).toBe(0);
      const [header, row] = r.stdout.trim().split('\n');
      expect(header.split(/\s+/)).toEqual(['Node', 'Address', 'Status', 'Type', 'Build', 'Protocol', 'DC', 'Partition', 'Segment']);
      expect(row.split(/\s+/).slice(0, 4)).toEqual(['cli-node', '127.0.0.1:8301', 'alive', 'server']);
    }
  });

  it('honours CONSUL_HTTP_ADDR and WEFT_HTTP_ADDR', async () => {
    expect((await runWeft(['members'], { env: { CONSUL_HTTP_ADDR: agent.address } })).code).toBe(0);
    expect((await runWeft(['members'], { env: { WEFT_HTTP_ADDR: `http://${agent.address}`, CONSUL_HTTP_ADDR: '127.0.0.1:1' } })).code).toBe(0);
  });

  it('exits 2 when -status matches no member', async () => {
    const r = await runWeft(['members', `-http-addr=${agent.address}`, '-status', 'failed']);
    expect(r.code).toBe(2);
  });

  it('prints sections with weft info', async () => {
    const r = await runWeft(['info', `-http-addr=${agent.address}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^agent:\n/);
    expect(r.stdout).toMatch(/\nconsul:\n(\t.+\n)*\tleader = true\n/);
  });

  it('shows help with -h on every command and exits 0', async () => {
    for (const cmd of ['agent', 'members', 'info', 'leave', 'validate', 'version']) {
      const r = await runWeft([cmd, '-h']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(new RegExp(`^Usage: weft ${cmd}`));
    }
  });

  it('refuses an unknown flag with one line and a non-zero exit', async () => {
    const r = await runWeft(['members', '-bogus']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('flag provided but not defined: -bogus');
  });

  it('says which agent it could not reach', async () => {
    const r = await runWeft(['members', '-http-addr=127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^Error connecting to Weft agent at 127\.0\.0\.1:1: ECONNREFUSED$/);
  });

  it('validates config files and directories', async () => {
    const good = join(d, 'good.hcl');
    writeFileSync(good, 'datacenter = "dc2"\nservice {\n  name = "web"\n  port = 80\n}\n');
    expect(await runWeft(['validate', good])).toMatchObject({ code: 0, stdout: 'Configuration is valid!\n' });
    expect((await runWeft(['validate', '-quiet', good])).stdout).toBe('');

    const bad = join(d, 'bad.json');
    writeFileSync(bad, '{"datacenter": "dc1", "portz": {}}');
    const r = await runWeft(['validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: unknown key "portz"`);

    const broken = join(d, 'broken.hcl');
    writeFileSync(broken, 'service {\n  name = \n}\n');
    const b = await runWeft(['validate', broken]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/broken\.hcl: syntax error at line 2, column \d+/);
  });
});
