import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRunnerConfig } from './index.js';
import { parseTemplateFlag, parseWait } from './syntax.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-template-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const once = { once: false, dry: false };

describe('-template and -wait syntax', () => {
  it.each([
    ['in.ctmpl', { source: 'in.ctmpl', destination: undefined, command: undefined }],
    ['in.ctmpl:out.conf', { source: 'in.ctmpl', destination: 'out.conf', command: undefined }],
    ['in.ctmpl:/etc/nginx/x.conf:nginx -s reload', { source: 'in.ctmpl', destination: '/etc/nginx/x.conf', command: 'nginx -s reload' }],
    ['in.tpl:out.txt:curl http://localhost:1/x', { source: 'in.tpl', destination: 'out.txt', command: 'curl http://localhost:1/x' }],
    ['C:\\in.tpl:D:\\out.txt', { source: 'C:\\in.tpl', destination: 'D:\\out.txt', command: undefined }],
  ])('%s', (flag, expected) => {
    expect(parseTemplateFlag(flag)).toEqual(expected);
  });

  it('reads min[:max], max defaulting to 4×min', () => {
    expect(parseWait('5s')).toEqual({ minMs: 5000, maxMs: 20000 });
    expect(parseWait('5s:10m')).toEqual({ minMs: 5000, maxMs: 600000 });
    expect(() => parseWait('10s:5s')).toThrow('wait: min must be less than max');
    expect(() => parseWait('1s:2s:3s')).toThrow('wait: invalid format');
    expect(() => parseWait('soon')).toThrow('time: invalid duration "soon"');
  });
});

describe('config files', () => {
  it('reads the seed talk\'s HCL file', async () => {
    const path = file(
      'seed.hcl',
      `log_level = "info"
wait {
  min = "5s"
  max = "600s"
}
max_stale = "1m"
template {
  source = "/etc/consul.d/templates/template/nginx.conf.tpl"
  destination ="/etc/nginx/sites-available/nginx-smart-router.conf"
  command = "nginx -s reload"
}
`,
    );
    const c = await loadRunnerConfig([path], {}, once);
    expect(c.logLevel).toBe('info');
    expect(c.wait).toEqual({ minMs: 5000, maxMs: 600000 });
    expect(c.maxStaleMs).toBe(60000);
    expect(c.templates).toEqual([
      {
        source: '/etc/consul.d/templates/template/nginx.conf.tpl',
        contents: undefined,
        destination: '/etc/nginx/sites-available/nginx-smart-router.conf',
        command: ['nginx -s reload'],
        commandTimeoutMs: 30000,
        perms: undefined,
        backup: false,
        createDestDirs: true,
        leftDelim: undefined,
        rightDelim: undefined,
        wait: undefined,
        errorFatal: true,
      },
    ]);
    expect(c.consul.retry).toEqual({ enabled: true, attempts: 12, backoffMs: 250, maxBackoffMs: 60000 });
  });

  it('reads every template key, repeated blocks, exec and consul blocks', async () => {
    const path = file(
      'full.hcl',
      `consul {
  address = "127.0.0.1:9500"
  token = "secret"
  retry {
    attempts = 2
    backoff = "10ms"
  }
}
exec {
  command = "my-app --serve"
  reload_signal = "SIGHUP"
  kill_signal = "TERM"
  kill_timeout = "2s"
  splay = "1s"
}
template {
  source = "a.ctmpl"
  destination = "a.conf"
  perms = 0600
  backup = true
  command = ["systemctl", "reload", "a"]
  command_timeout = "5s"
  left_delimiter = "[["
  right_delimiter = "]]"
  wait { min = "1s" }
}
template {
  contents = "{{ key \\"x\\" }} $\${literal}"
  destination = "b.conf"
  error_fatal = false
}
`,
    );
    const c = await loadRunnerConfig([path], {}, once);
    expect(c.consul).toMatchObject({ address: '127.0.0.1:9500', token: 'secret', retry: { enabled: true, attempts: 2, backoffMs: 10, maxBackoffMs: 60000 } });
    expect(c.exec).toEqual({ command: ['my-app --serve'], reloadSignal: 'SIGHUP', killSignal: 'SIGTERM', killTimeoutMs: 2000, splayMs: 1000 });
    expect(c.templates[0]).toMatchObject({ perms: 0o600, backup: true, command: ['systemctl', 'reload', 'a'], commandTimeoutMs: 5000, leftDelim: '[[', rightDelim: ']]', wait: { minMs: 1000, maxMs: 4000 } });
    expect(c.templates[1]).toMatchObject({ contents: '{{ key "x" }} ${literal}', destination: 'b.conf', errorFatal: false });
  });

  it('reads JSON, where perms is the decimal mode and template may be one object', async () => {
    const path = file('c.json', JSON.stringify({ wait: '2s:4s', template: { source: 'x.tpl', destination: 'x', perms: 420 }, consul: '10.0.0.1:8500' }));
    const c = await loadRunnerConfig([path], {}, once);
    expect(c.templates[0].perms).toBe(0o644);
    expect(c.wait).toEqual({ minMs: 2000, maxMs: 4000 });
    expect(c.consul.address).toBe('10.0.0.1:8500');
  });

  it('merges files left to right, then the command line; templates accumulate', async () => {
    const a = file('m1.hcl', 'log_level = "debug"\nmax_stale = "10s"\ntemplate {\n  source = "1.tpl"\n  destination = "1"\n}\nconsul { address = "a:1" }');
    const b = file('m2.json', JSON.stringify({ log_level: 'err', template: [{ source: '2.tpl', destination: '2' }], consul: { token: 't' } }));
    const c = await loadRunnerConfig([a, b], { template: [{ source: '3.tpl', destination: '3' }], max_stale: '0s' }, once);
    expect(c.templates.map((t) => t.source)).toEqual(['1.tpl', '2.tpl', '3.tpl']);
    expect(c.logLevel).toBe('error');
    expect(c.maxStaleMs).toBe(0);
    expect(c.consul).toMatchObject({ address: 'a:1', token: 't' });
  });

  it('loads a directory of .hcl and .json files in name order', async () => {
    const sub = mkdtempSync(join(dir, 'd-'));
    writeFileSync(join(sub, 'b.json'), JSON.stringify({ template: { source: 'b', destination: 'b' } }));
    writeFileSync(join(sub, 'a.hcl'), 'template {\n  source = "a"\n  destination = "a"\n}');
    writeFileSync(join(sub, 'notes.txt'), 'ignored');
    const c = await loadRunnerConfig([sub], {}, once);
    expect(c.templates.map((t) => t.source)).toEqual(['a', 'b']);
  });

  it.each([
    ['bad-key.hcl', 'template {\n  source = "a"\n  destination = "b"\n  colour = "red"\n}', 'unknown key "template[0].colour"'],
    ['vault.hcl', 'vault { address = "x" }', 'vault: Vault is not supported by weft template'],
    ['both.hcl', 'template {\n  source = "a"\n  contents = "b"\n  destination = "c"\n}', "template[0]: cannot specify both 'source' and 'contents'"],
    ['neither.hcl', 'template {\n  destination = "c"\n}', "template[0]: must specify exactly one of 'source' or 'contents'"],
    ['nodest.hcl', 'template {\n  source = "a"\n}', 'template[0]: missing destination'],
    ['wait.hcl', 'wait {\n  min = "10s"\n  max = "1s"\n}\ntemplate {\n  source = "a"\n  destination = "b"\n}', 'wait: wait: min must be less than max'],
    ['dur.hcl', 'max_stale = "often"\ntemplate {\n  source = "a"\n  destination = "b"\n}', 'max_stale: time: invalid duration "often"'],
    ['sig.hcl', 'exec {\n  command = "x"\n  reload_signal = "SIGNOPE"\n}\ntemplate {\n  source = "a"\n  destination = "b"\n}', 'invalid signal "SIGNOPE"'],
    ['syntax.hcl', 'template {\n  source = \n}', 'config: '],
    ['syntax.json', '{"template": ', 'config: '],
    ['empty.hcl', '', 'At least one template must be specified'],
  ])('rejects %s', async (name, text, message) => {
    await expect(loadRunnerConfig([file(name, text)], {}, once)).rejects.toThrow(message);
  });

  it('names a missing path', async () => {
    await expect(loadRunnerConfig([join(dir, 'nope.hcl')], {}, once)).rejects.toThrow('config: missing file/folder');
  });

  it('lets -dry runs omit the destination', async () => {
    const c = await loadRunnerConfig([], { template: [{ source: 'in.tpl' }] }, { once: true, dry: true });
    expect(c.templates[0].destination).toBe('');
  });
});
