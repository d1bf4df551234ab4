import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './index.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-config-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('loadConfig: defaults', () => {
  it('fills every default from Consul when a file sets only data_dir', async () => {
    const f = await file('agent.json', JSON.stringify({ data_dir: '/var/lib/weft' }));
    const { config, errors, warnings } = await loadConfig({ files: [f], hostname: 'node-a' });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      datacenter: 'dc1',
      primaryDatacenter: 'dc1',
      domain: 'consul',
      nodeName: 'node-a',
      dataDir: '/var/lib/weft',
      server: false,
      bindAddr: '0.0.0.0',
      clientAddr: ['127.0.0.1'],
      logLevel: 'info',
      retryInterval: '30s',
      defaultQueryTime: '300s',
      maxQueryTime: '600s',
      ui: false,
      store: { backend: 'embedded', etcdEndpoints: [] },
      sources: [f],
    });
    expect(config.ports).toMatchObject({
      http: 8500, https: -1, dns: 8600, grpc: -1, server: 8300, serfLan: 8301, serfWan: 8302,
      sidecarMinPort: 21000, sidecarMaxPort: 21255,
    });
    expect(config.limits).toEqual({
      httpMaxConnsPerClient: 200, kvMaxValueSize: 524288, txnMaxReqLen: 524288, requestMaxBodyBytes: 4 * 1024 * 1024,
    });
    expect(config.dns).toMatchObject({
      allowStale: true, maxStale: '87600h', nodeTtl: '0s', udpAnswerLimit: 3, aRecordLimit: 0,
      recursorTimeout: '2s', recursorStrategy: 'sequential', enableAdditionalNodeMetaTxt: true,
      soa: { refresh: 3600, retry: 600, expire: 86400, minTtl: 0 },
    });
  });

  it('requires data_dir outside dev mode', async () => {
    const { errors } = await loadConfig({});
    expect(errors).toEqual([{ where: 'data_dir', message: 'required for a non-dev agent' }]);
  });

  it('-dev: in-memory bootstrapped server with UI, mesh and gRPC on 8502', async () => {
    const { config, errors, warnings } = await loadConfig({ dev: true, hostname: 'devbox' });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      dev: true, server: true, bootstrap: true, bootstrapExpect: 0, dataDir: '', ui: true,
      bindAddr: '127.0.0.1', nodeName: 'devbox', logLevel: 'info', connect: { enabled: true },
    });
    expect(config.ports.grpc).toBe(8502);
  });

  it('-dev defaults sit under files and flags', async () => {
    const f = await file('a.hcl', 'ports {\n  grpc = 9502\n}\nui_config {\n  enabled = false\n}\n');
    const { config } = await loadConfig({ dev: true, files: [f], flags: { log_level: 'DEBUG' } });
    expect(config.ports.grpc).toBe(9502);
    expect(config.ui).toBe(false);
    expect(config.logLevel).toBe('debug');
  });

  it('the older `ui` key (and the -ui flag) override earlier layers, -dev included', async () => {
    expect((await loadConfig({ dev: true, flags: { ui: false } })).config.ui).toBe(false);
    const f = await file('a.json', JSON.stringify({ data_dir: '/d', ui: true, ui_config: { enabled: false } }));
    expect((await loadConfig({ files: [f] })).config.ui).toBe(false); // same layer: ui_config wins
  });
});

describe('loadConfig: sources and merging', () => {
  it('loads a directory alphabetically, ignoring other files; later scalars win, lists append, maps merge', async () => {
    const d = join(dir, 'conf.d');
    await mkdir(d);
    await writeFile(join(d, '20-b.hcl'), [
      'datacenter = "two"',
      'retry_join = ["10.0.0.2"]',
      'node_meta {',
      '  zone = "b"',
      '}',
      'services = [{ name = "db" }]',
      '',
    ].join('\n'));
    await writeFile(join(d, '10-a.json'), JSON.stringify({
      datacenter: 'one', data_dir: '/d', retry_join: ['10.0.0.1'], node_meta: { rack: 'r1', zone: 'a' },
      service: { name: 'web' }, recursors: ['1.1.1.1'],
    }));
    await writeFile(join(d, 'README.md'), 'not config');
    await writeFile(join(d, '30-c.json.bak'), '{ broken');
    const { config, errors } = await loadConfig({ dirs: [d] });
    expect(errors).toEqual([]);
    expect(config.sources).toEqual([join(d, '10-a.json'), join(d, '20-b.hcl')]);
    expect(config.datacenter).toBe('two');
    expect(config.retryJoin).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(config.nodeMeta).toEqual({ rack: 'r1', zone: 'b' });
    expect(config.services).toEqual([{ name: 'web' }, { name: 'db' }]);
    expect(config.recursors).toEqual(['1.1.1.1']);
  });

  it('flags win over every file', async () => {
    const f = await file('a.json', JSON.stringify({ data_dir: '/d', ports: { http: 8000, dns: 8653 }, log_level: 'warn' }));
    const { config, errors } = await loadConfig({ files: [f], flags: { ports: { http: 9000 }, log_level: 'trace' } });
    expect(errors).toEqual([]);
    expect(config.ports.http).toBe(9000);
    expect(config.ports.dns).toBe(8653);
    expect(config.logLevel).toBe('trace');
  });

  it('HCL: each `service` block is a service; repeated single-valued blocks merge', async () => {
    const f = await file('svc.hcl', `
data_dir = "/d"
ports {
  http = 8001
}
ports {
  dns = 8653
}
service {
  name = "web"
  port = 80
  tags = ["v1"]
  check {
    http     = "http://localhost/health"
    interval = "10s"
  }
}
service {
  name = "api"
  meta {
    version = "2"
  }
}
`);
    const { config, errors } = await loadConfig({ files: [f] });
    expect(errors).toEqual([]);
    expect(config.ports).toMatchObject({ http: 8001, dns: 8653 });
    expect(config.services).toEqual([
      { name: 'web', port: 80, tags: ['v1'], check: { http: 'http://localhost/health', interval: '10s' } },
      { name: 'api', meta: { version: '2' } },
    ]);
  });

  it('-config-format forces the parser for files without a known extension; others are skipped', async () => {
    const conf = await file('agent.conf', 'data_dir = "/d"\nserver = true\n');
    const forced = await loadConfig({ files: [conf], format: 'hcl' });
    expect(forced.errors).toEqual([]);
    expect(forced.config.server).toBe(true);
    const skipped = await loadConfig({ files: [conf], dev: true });
    expect(skipped.config.sources).toEqual([]);
    expect(skipped.warnings[0].message).toContain('skipping');
  });

  it('a missing -config-file is an error, not an exception', async () => {
    const { errors } = await loadConfig({ files: [join(dir, 'x.json')], dev: true });
    expect(errors).toEqual([{ where: '-config-file', message: `open ${join(dir, 'x.json')}: no such file or directory` }]);
  });

  it('start_join is appended to retry_join with a warning', async () => {
    const f = await file('a.json', JSON.stringify({ data_dir: '/d', retry_join: ['a'], start_join: ['b'] }));
    const { config, warnings } = await loadConfig({ files: [f] });
    expect(config.retryJoin).toEqual(['a', 'b']);
    expect(warnings).toEqual([{ where: f, message: '"start_join" is deprecated; its entries were added to "retry_join"' }]);
  });

  it('accepts keys Weft does not model yet, with a warning', async () => {
    const f = await file('agent.hcl', `
data_dir = "/d"
encrypt = "c2VjcmV0"
leave_on_terminate = true
telemetry {
  prometheus_retention_time = "24h"
}
dns_config {
  use_cache = true
}
`);
    const { errors, warnings } = await loadConfig({ files: [f] });
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([
      '"encrypt" is accepted but has no effect in weft',
      '"leave_on_terminate" is accepted but has no effect in weft',
      '"telemetry" is accepted but has no effect in weft',
      '"dns_config.use_cache" is accepted but has no effect in weft',
    ]);
  });
});
