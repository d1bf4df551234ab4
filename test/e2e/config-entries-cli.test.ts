/** `weft config write|read|list|delete` against a real agent. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, runWeft, startAgent, stopAllAgents, tempDir, type TestAgent } from './harness.js';

let agent: TestAgent;
let dir: string;
/** A CLI process can wait long for a core on a loaded machine; the harness default (30 s) is too tight. */
const CLI_TIMEOUT_MS = 90_000;
const weft = (args: string[], input?: string) => runWeft([...args.slice(0, 2), '-http-addr', agent.address, ...args.slice(2)], { timeoutMs: CLI_TIMEOUT_MS, input });
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(async () => {
  agent = await startAgent({ args: ['-dev', '-node', 'config-cli-node'] });
  dir = tempDir();
});
afterAll(async () => {
  await stopAllAgents();
  removeDir(dir);
});

/** Consul's docs write routers in HCL 1 style: blocks inside list items. */
const routerHcl = `
Kind = "service-router"
Name = "web"
Routes = [
  {
    Match {
      HTTP {
        PathPrefix = "/currency"
      }
    }
    Destination {
      Service = "currency"
    }
  },
  {
    Match {
      HTTP {
        Header = [
          {
            Name    = "x-tester"
            Present = true
          },
        ]
      }
    }
    Destination {
      ServiceSubset = "v2"
    }
  },
]
`;

describe('weft config', () => {
  it('writes HCL and JSON (file or stdin), then reads and lists them', async () => {
    const defaults = await weft(['config', 'write', '-'], JSON.stringify({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http' } }));
    expect(defaults).toMatchObject({ code: 0, stdout: 'Config entry written: proxy-defaults/global\n' });
    const resolver = file('resolver.hcl', 'kind = "service-resolver"\nname = "web"\nsubsets = {\n  v1 = { filter = "Service.Meta.version == 1" }\n  v2 = { filter = "Service.Meta.version == 2" }\n}\ndefault_subset = "v1"\n');
    expect(await weft(['config', 'write', resolver])).toMatchObject({ code: 0, stdout: 'Config entry written: service-resolver/web\n' });
    expect(await weft(['config', 'write', file('router.hcl', routerHcl)])).toMatchObject({ code: 0, stdout: 'Config entry written: service-router/web\n' });

    const read = await weft(['config', 'read', '-kind', 'service-router', '-name', 'web']);
    expect(read.code).toBe(0);
    expect(read.stdout).toMatch(/^\{\n {4}"Kind": "service-router",/);
    const router = JSON.parse(read.stdout);
    expect(router.Routes).toEqual([
      { Match: { HTTP: { PathPrefix: '/currency' } }, Destination: { Service: 'currency' } },
      { Match: { HTTP: { Header: [{ Name: 'x-tester', Present: true }] } }, Destination: { ServiceSubset: 'v2' } },
    ]);
    expect(router.ModifyIndex).toBeGreaterThan(0);

    expect(await weft(['config', 'list', '-kind', 'service-resolver'])).toMatchObject({ code: 0, stdout: 'web\n' });
    expect(await weft(['config', 'list', '-kind', 'service-resolver', '-filter', 'DefaultSubset == "v9"'])).toMatchObject({ code: 0, stdout: '' });
  });

  it('checks and sets with -cas -modify-index', async () => {
    const path = file('cas.json', JSON.stringify({ Kind: 'service-defaults', Name: 'billing', Protocol: 'grpc' }));
    expect(await weft(['config', 'write', '-cas', '-modify-index=0', path])).toMatchObject({ code: 0, stdout: 'Config entry written: service-defaults/billing\n' });
    expect(await weft(['config', 'write', '-cas', '-modify-index=0', path])).toMatchObject({ code: 1, stderr: 'Config entry not updated: service-defaults/billing\n' });
    const index = JSON.parse((await weft(['config', 'read', '-kind', 'service-defaults', '-name', 'billing'])).stdout).ModifyIndex as number;
    expect(await weft(['config', 'delete', '-kind', 'service-defaults', '-name', 'billing', '-cas', `-modify-index=${index + 100}`])).toMatchObject({
      code: 1,
      stderr: 'Config entry not deleted: service-defaults/billing\n',
    });
    expect(await weft(['config', 'delete', '-kind', 'service-defaults', '-name', 'billing', '-cas', `-modify-index=${index}`])).toMatchObject({
      code: 0,
      stdout: 'Config entry deleted: service-defaults/billing\n',
    });
  });

  it('prints the server reason when an entry is refused, and deletes by file', async () => {
    const split = file('split.hcl', 'Kind = "service-splitter"\nName = "web"\nSplits = [\n  { Weight = 90, ServiceSubset = "v1" },\n  { Weight = 0.5, ServiceSubset = "v2" },\n]\n');
    const refused = await weft(['config', 'write', split]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('Error writing config entry service-splitter/web: Unexpected response code: 400 (the sum of all split weights must be 100, not 90.50)\n');
    writeFileSync(split, 'Kind = "service-splitter"\nName = "web"\nSplits = [\n  { Weight = 90, ServiceSubset = "v1" },\n  { Weight = 10, ServiceSubset = "v2" },\n]\n');
    expect((await weft(['config', 'write', split])).code).toBe(0);
    expect(await weft(['config', 'delete', '-filename', split])).toMatchObject({ code: 0, stdout: 'Config entry deleted: service-splitter/web\n' });
    const gone = await weft(['config', 'read', '-kind', 'service-splitter', '-name', 'web']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Error reading config entry "service-splitter" / "web": Unexpected response code: 404 (Config entry not found for "service-splitter" / "web")');
  });

  it('checks its arguments like Consul', async () => {
    const cases: [string[], string][] = [
      [['config', 'write'], 'Must provide exactly one positional argument to specify the config entry to write'],
      [['config', 'write', join(dir, 'missing.hcl')], 'Failed to load data: Failed to read file'],
      [['config', 'write', file('nokind.hcl', 'name = "x"\n')], 'Failed to decode config entry input: Payload does not contain a kind/Kind key at the top level'],
      [['config', 'read', '-kind', 'service-defaults'], 'Must specify the -name parameter'],
      [['config', 'list'], 'Must specify the -kind parameter'],
      [['config', 'delete'], 'Must specify the -kind or -filename parameter'],
      [['config', 'delete', '-filename', 'x.hcl', '-kind', 'service-defaults'], "filename can't be used with kind or name"],
      [['config', 'delete', '-kind', 'service-defaults', '-name', 'web', '-cas'], 'Must specify a -modify-index greater than 0 with -cas'],
    ];
    for (const [args, message] of cases) {
      const r = await weft(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
  });
});
