import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWeftError } from '../lib/errors.js';
import { loadConfig, validateConfig, type ConfigProblem } from './index.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-config-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function errorsOf(name: string, text: string): Promise<{ path: string; errors: ConfigProblem[] }> {
  const path = join(dir, name);
  await writeFile(path, text);
  const { errors } = await loadConfig({ files: [path] });
  return { path, errors: sorted(errors) };
}

/** Problems come in schema order; compare them in a stable order. */
function sorted(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => (a.where + a.message).localeCompare(b.where + b.message));
}

const json = (v: unknown): string => JSON.stringify({ data_dir: '/d', ...(v as object) });

describe('file problems name the file and the dotted path', () => {
  it('unknown keys, top level and nested', async () => {
    const { path, errors } = await errorsOf('agent.hcl', 'data_dir = "/d"\nfoo = 1\nports {\n  htp = 1\n}\n');
    expect(errors).toEqual([
      { where: path, message: 'unknown key "foo"' },
      { where: path, message: 'unknown key "ports.htp"' },
    ]);
  });

  it('ports must be -1 or 1..65535', async () => {
    const { path, errors } = await errorsOf('a.json', json({ ports: { http: 70000, dns: -1, grpc: 0 } }));
    expect(errors).toEqual([
      { where: `${path}: ports.grpc`, message: 'must be -1 (disabled) or between 1 and 65535, got 0' },
      { where: `${path}: ports.http`, message: 'must be -1 (disabled) or between 1 and 65535, got 70000' },
    ]);
  });

  it('durations must parse, with Go’s wording', async () => {
    const { path, errors } = await errorsOf('a.json', json({ retry_interval: 'x', dns_config: { service_ttl: { '*': '5' } } }));
    expect(errors).toEqual([
      { where: `${path}: dns_config.service_ttl.*`, message: 'time: missing unit in duration "5"' },
      { where: `${path}: retry_interval`, message: 'time: invalid duration "x"' },
    ]);
  });

  it('wrong types and enums', async () => {
    const { path, errors } = await errorsOf('a.json', json({ server: 'yes', log_level: 'loud', dns_config: { recursor_strategy: 'x' } }));
    expect(errors).toEqual([
      { where: `${path}: dns_config.recursor_strategy`, message: 'must be one of "sequential", "random"; got string "x"' },
      { where: `${path}: log_level`, message: 'must be one of trace, debug, info, warn, error; got "loud"' },
      { where: `${path}: server`, message: 'expected a boolean, got string "yes"' },
    ]);
  });

  it('log_level is case-insensitive and knows the old spellings', async () => {
    for (const [given, level] of [['WARN', 'warn'], ['err', 'error'], ['Info', 'info']]) {
      const path = join(dir, 'l.json');
      await writeFile(path, json({ log_level: given }));
      const { config, errors } = await loadConfig({ files: [path] });
      expect(errors).toEqual([]);
      expect(config.logLevel).toBe(level);
    }
  });

  it('addresses must be IPs; client_addr may list several; templates other than GetInterfaceIP are refused', async () => {
    const ok = await errorsOf('ok.json', json({ client_addr: '127.0.0.1 ::1', bind_addr: '10.0.0.1' }));
    expect(ok.errors).toEqual([]);
    const { path, errors } = await errorsOf('a.json', json({ bind_addr: 'localhost', client_addr: '{{ GetPrivateIP }}' }));
    expect(errors).toEqual([
      { where: `${path}: bind_addr`, message: '"localhost" is not an IP address' },
      {
        where: `${path}: client_addr`,
        message: 'go-sockaddr templates are not supported yet (only {{ GetInterfaceIP "<name>" }}), got "{{ GetPrivateIP }}"',
      },
    ]);
  });

  it('datacenter: letters, digits, - and _; upper case is lowered with a warning', async () => {
    const bad = await errorsOf('a.json', json({ datacenter: 'dc 1' }));
    expect(bad.errors).toEqual([
      { where: `${bad.path}: datacenter`, message: 'may only contain letters, digits, "-" and "_"; got "dc 1"' },
    ]);
    const path = join(dir, 'b.json');
    await writeFile(path, json({ datacenter: 'EU_West' }));
    const { config, warnings } = await loadConfig({ files: [path] });
    expect(config.datacenter).toBe('eu_west');
    expect(warnings).toEqual([{ where: `${path}: datacenter`, message: '"EU_West" is converted to lower case' }]);
  });

  it('services need a name (either case); the rest is kept as written', async () => {
    const { path, errors } = await errorsOf('a.json', json({ service: { port: 80 }, services: [{ Name: 'ok', Port: 1 }, {}] }));
    expect(errors).toEqual([
      { where: `${path}: service`, message: 'missing "name"' },
      { where: `${path}: services[1]`, message: 'missing "name"' },
    ]);
  });

  it('an invalid value is reported once and dropped; the rest of the file still applies', async () => {
    const path = join(dir, 'a.json');
    await writeFile(path, json({ ports: { http: 0, dns: 53 }, server: true }));
    const { config, errors } = await loadConfig({ files: [path] });
    expect(errors).toHaveLength(1);
    expect(config).toMatchObject({ server: true, dataDir: '/d', ports: { http: 8500, dns: 53 } });
  });
});

describe('syntax errors name the file, line and column', () => {
  it('HCL', async () => {
    const { path, errors } = await errorsOf('bad.hcl', 'data_dir = "/d"\n\nports {\n  http = \n}\n');
    expect(errors).toHaveLength(1);
    expect(errors[0].where).toBe(path);
    expect(errors[0].message).toMatch(/^syntax error at line 4, column \d+: Invalid expression/);
  });

  it('JSON', async () => {
    const { path, errors } = await errorsOf('bad.json', '{\n  "data_dir": "/d",\n  "server" true\n}\n');
    expect(errors).toEqual([{ where: path, message: expect.stringMatching(/^syntax error at line 3, column 12: /) }]);
  });

  it('HCL interpolation is refused', async () => {
    const { path, errors } = await errorsOf('i.hcl', 'data_dir = "/d"\nnode_name = "${var.host}"\n');
    expect(errors).toEqual([
      { where: `${path}: node_name`, message: 'HCL expressions and interpolation are not supported in config files, got "${var.host}"' },
    ]);
  });
});

describe('cross-field rules', () => {
  it('bootstrap and bootstrap_expect together is an error', async () => {
    const { path, errors } = await errorsOf('a.json', json({ server: true, bootstrap: true, bootstrap_expect: 3 }));
    expect(errors).toEqual([{ where: `${path}: bootstrap_expect`, message: 'cannot be combined with "bootstrap = true"' }]);
  });

  it('bootstrap_expect needs server, and names the file that set it', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    await writeFile(a, json({ server: false }));
    await writeFile(b, JSON.stringify({ bootstrap_expect: 3 }));
    const { errors } = await loadConfig({ files: [a, b] });
    expect(errors).toEqual([{ where: `${b}: bootstrap_expect`, message: 'requires "server = true"' }]);
  });

  it('bootstrap_expect = 1 means bootstrap mode, with a warning', async () => {
    const path = join(dir, 'a.json');
    await writeFile(path, json({ server: true, bootstrap_expect: 1 }));
    const { config, errors, warnings } = await loadConfig({ files: [path] });
    expect(errors).toEqual([]);
    expect(config).toMatchObject({ bootstrap: true, bootstrapExpect: 0 });
    expect(warnings[0]).toEqual({ where: `${path}: bootstrap_expect`, message: 'a value of 1 is the same as "bootstrap = true"' });
  });

  it('sidecar port range must be ordered; etcd needs endpoints', async () => {
    const { path, errors } = await errorsOf('a.json', json({ ports: { sidecar_min_port: 30000 }, store: { backend: 'etcd' } }));
    expect(errors).toEqual([
      { where: `${path}: ports.sidecar_min_port`, message: 'ports.sidecar_min_port (30000) is greater than ports.sidecar_max_port (21255)' },
      { where: `${path}: store.etcd_endpoints`, message: 'required when store.backend is "etcd"' },
    ]);
  });
});

describe('validateConfig', () => {
  it('throws CONFIG_INVALID with the first error on one line', async () => {
    const path = join(dir, 'agent.hcl');
    await writeFile(path, 'data_dir = "/d"\nfoo = 1\nbar = 2\n');
    const result = await loadConfig({ files: [path] });
    let caught: unknown;
    try {
      validateConfig(result);
    } catch (err) {
      caught = err;
    }
    expect(isWeftError(caught, 'CONFIG_INVALID')).toBe(true);
    expect((caught as Error).message).toBe(`${path}: unknown key "bar"`);
  });

  it('is silent when there are no errors', async () => {
    expect(() => validateConfig({ config: {} as never, errors: [], warnings: [{ where: 'x', message: 'y' }] })).not.toThrow();
  });
});
