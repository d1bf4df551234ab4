import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, removeDir, runWeft, startAgent, stopAllAgents, tempDir, type TestAgent, waitFor } from './harness.js';
import { startTemplate, stopAllTemplates, type TemplateProcess } from './template-harness.js';

/** `weft template` against a real dev agent: rendering, watching, commands, quiescence, the exec child. */
let agent: TestAgent;
let dir: string;

beforeAll(async () => {
  agent = await startAgent();
  dir = tempDir('weft-template-');
});

afterAll(async () => {
  await stopAllTemplates();
  await stopAllAgents();
  removeDir(dir);
});

const put = (key: string, value: string) => agent.client.put(`/v1/kv/${key}`, { rawBody: value });
const del = (key: string) => agent.client.delete(`/v1/kv/${key}`);
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const read = (path: string): string | null => (existsSync(path) ? readFileSync(path, 'utf8') : null);
const lines = (path: string): string[] => (read(path) ?? '').split('\n').filter(Boolean);
const count = (text: string, needle: string) => text.split(needle).length - 1;
/** Resolves once the runner has finished `n` passes in total (from its debug log). */
const passes = (t: TemplateProcess, n: number) => waitFor(() => count(t.stderr, '(runner) run finished') >= n, { what: `${n} runner passes` });

describe('weft template -once', () => {
  it('renders catalog and KV data to stdout with -dry, under consul-template\'s flag names', async () => {
    await put('e2e/once/a', '1');
    await put('e2e/once/b', '2');
    const nodeName = (await agent.client.get<{ Config: { NodeName: string } }>('/v1/agent/self')).body.Config.NodeName;
    const tpl = file(
      'once.ctmpl',
      '{{ key "e2e/once/a" }}|{{ range ls "e2e/once" }}{{ .Key }}={{ .Value }},{{ end }}|{{ range service "consul" }}{{ .Name }}:{{ .Status }}{{ end }}|{{ with node }}{{ .Node.Node }}{{ end }}|{{ datacenters }}\n',
    );
    const r = await runWeft(['template', '-consul-addr', agent.address, '-template', tpl, '-once', '-dry']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`> \n1|a=1,b=2,|consul:passing|${nodeName}|[dc1]\n`);

    // The address can come from the environment, Consul's variable or Weft's.
    const viaEnv = await runWeft(['template', '-template', `${tpl}:${join(dir, 'once.out')}`, '-once'], { env: { CONSUL_HTTP_ADDR: agent.address } });
    expect(viaEnv.code).toBe(0);
    expect(read(join(dir, 'once.out'))).toBe(r.stdout.slice(3));
  });

  it('reads the Connect CA roots and a leaf certificate', async () => {
    const tpl = file('ca.ctmpl', '{{ range caRoots }}{{ .Active }} {{ .RootCertPEM | regexMatch "BEGIN CERTIFICATE" }}{{ end }}|{{ with caLeaf "web" }}{{ .Service }} {{ .ServiceURI | regexMatch "^spiffe://.*/svc/web$" }} {{ .PrivateKeyPEM | regexMatch "PRIVATE KEY" }}{{ end }}');
    const r = await runWeft(['template', '-http-addr', agent.address, '-template', tpl, '-once', '-dry']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('> \ntrue true|web true true');
  });

  it('fails on a bad template before fetching or writing anything, naming file, line and column', async () => {
    const out = join(dir, 'never.conf');
    const bad = file('bad.ctmpl', 'upstream app {\n{{ range servcie "web" }}\n{{ end }}}\n');
    const r = await runWeft(['template', '-http-addr', agent.address, '-template', `${bad}:${out}`, '-once']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`template: ${bad}:2: function "servcie" not defined`);
    expect(existsSync(out)).toBe(false);

    const failing = file('exec-error.ctmpl', 'port {{ parseInt "eighty" }}');
    const r2 = await runWeft(['template', '-http-addr', agent.address, '-template', `${failing}:${out}`, '-once']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`template: ${failing}:1:8: executing "${failing}" at <parseInt "eighty">: error calling parseInt: parseInt: strconv.ParseInt: parsing "eighty": invalid syntax`);
    expect(existsSync(out)).toBe(false);
  });

  it('exits non-zero when the agent cannot be reached, once retries are spent', async () => {
    const tpl = file('unreachable.ctmpl', '{{ key "x" }}');
    const port = await freePort();
    const started = Date.now();
    const r = await runWeft(['template', '-http-addr', `127.0.0.1:${port}`, '-template', tpl, '-once', '-dry', '-consul-retry-attempts=2', '-consul-retry-backoff=10ms']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('(retry attempt 2 after "20ms")');
    expect(r.stderr).toMatch(/kv\.block\(x\): Error connecting to Weft agent at 127\.0\.0\.1:\d+: ECONNREFUSED/);
    expect(r.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('weft template, watching', () => {
  it('holds a template back until its key exists, then re-renders and runs the command only on change', async () => {
    const tpl = file('watch.ctmpl', 'port={{ key "e2e/watch/port" }} mode={{ keyOrDefault "e2e/watch/mode" "rr" }}{{ if keyExists "e2e/watch/flag" }}{{ end }}\n');
    const out = join(dir, 'watch/sub/out.conf');
    const cmdLog = join(dir, 'watch-commands.log');
    const t = startTemplate(['-http-addr', agent.address, '-template', `${tpl}:${out}:echo ran >> ${cmdLog}`, '-log-level', 'debug']);

    // Every dependency has answered, and the missing key still holds the file back.
    await waitFor(() => t.stderr.includes('missing data for 1 dependencies: kv.block(e2e/watch/port)'), { what: 'the blocking key to be the only thing missing' });
    expect(existsSync(out)).toBe(false);

    await put('e2e/watch/port', '80');
    await waitFor(() => read(out) === 'port=80 mode=rr\n' && lines(cmdLog).length === 1, { what: 'the first render and its command' });
    expect(statSync(out).mode & 0o777).toBe(0o644);

    await put('e2e/watch/mode', 'lc');
    await waitFor(() => read(out) === 'port=80 mode=lc\n' && lines(cmdLog).length === 2, { what: 'the re-render and its command' });

    // New data that renders the same file: no write, no command.
    const before = count(t.stderr, '(runner) run finished');
    await put('e2e/watch/flag', 'on');
    await passes(t, before + 1);
    expect(read(out)).toBe('port=80 mode=lc\n');
    expect(lines(cmdLog)).toHaveLength(2);

    await del('e2e/watch/mode');
    await waitFor(() => read(out) === 'port=80 mode=rr\n' && lines(cmdLog).length === 3, { what: 'the default to come back' });
    expect(await t.stop()).toBe(0);
  });

  it('waits for safeLs to have keys', async () => {
    const tpl = file('safe.ctmpl', '{{ range safeLs "e2e/safe" }}{{ .Key }}={{ .Value }} {{ end }}');
    const out = join(dir, 'safe.out');
    const t = startTemplate(['-http-addr', agent.address, '-template', `${tpl}:${out}`, '-log-level', 'debug']);
    // Missing on the first pass (no data) and still missing once the empty answer is in.
    await waitFor(() => count(t.stderr, 'missing data for 1 dependencies: kv.list(e2e/safe)') >= 2, { what: 'the empty prefix to hold the template back' });
    expect(existsSync(out)).toBe(false);
    await put('e2e/safe/a', '1');
    await waitFor(() => read(out) === 'a=1 ', { what: 'the render' });
    await t.stop();
  });

  it('logs a failing or hanging command and keeps watching; applies perms and backup from a config file', async () => {
    const tpl = file('cmd.ctmpl', 'v={{ key "e2e/cmd/v" }}');
    const a = join(dir, 'cmd-a.out');
    const b = join(dir, 'cmd-b.out');
    const config = file(
      'cmd.hcl',
      `consul {
  address = "${agent.address}"
}
log_level = "info"
template {
  source = "${tpl}"
  destination = "${a}"
  command = "exit 3"
  perms = 0600
  backup = true
}
template {
  source = "${tpl}"
  destination = "${b}"
  command = "sleep 30"
  command_timeout = "300ms"
}
`,
    );
    await put('e2e/cmd/v', '1');
    const t = startTemplate(['-config', config]);
    await waitFor(() => t.stderr.includes('did not exit within time limit ("300ms"): sleep 30'), { what: 'the hanging command to time out' });
    expect(t.stderr).toContain('failed to execute command "exit 3"');
    expect(t.stderr).toContain('exited with a non-zero exit status 3');
    expect(read(a)).toBe('v=1');
    expect(statSync(a).mode & 0o777).toBe(0o600);

    await put('e2e/cmd/v', '2');
    await waitFor(() => read(a) === 'v=2' && read(b) === 'v=2', { what: 'renders after the failures' });
    expect(read(`${a}.bak`)).toBe('v=1');
    expect(t.running).toBe(true);
    await t.stop();
  });
});

describe('quiescence (-wait)', () => {
  it('renders once, min after a burst of changes', async () => {
    await put('e2e/wait/v', '0');
    const tpl = file('wait.ctmpl', '{{ key "e2e/wait/v" }}');
    const out = join(dir, 'wait.out');
    const cmdLog = join(dir, 'wait-commands.log');
    const t = startTemplate(['-http-addr', agent.address, '-template', `${tpl}:${out}:echo ran >> ${cmdLog}`, '-wait', '1500ms:10s']);
    // The first render does not wait.
    await waitFor(() => read(out) === '0' && lines(cmdLog).length === 1, { what: 'the first render' });
    for (const v of ['1', '2', '3']) await put('e2e/wait/v', v);
    const lastChange = Date.now();
    await waitFor(() => read(out) === '3', { what: 'the settled value', timeoutMs: 15_000 });
    expect(Date.now() - lastChange).toBeGreaterThanOrEqual(1400);
    await waitFor(() => lines(cmdLog).length === 2, { what: 'the command of the one render' });
    await t.stop();
    expect(lines(cmdLog)).toHaveLength(2);
  });

  it('renders by max while changes never stop', async () => {
    await put('e2e/max/v', '0');
    const tpl = file('max.ctmpl', '{{ key "e2e/max/v" }}');
    const out = join(dir, 'max.out');
    const t = startTemplate(['-http-addr', agent.address, '-template', `${tpl}:${out}`, '-wait', '1s:2s']);
    await waitFor(() => read(out) === '0', { what: 'the first render' });
    const start = Date.now();
    let n = 0;
    let seen: string | null = '0';
    let last = start;
    let longestGap = 0;
    // A change every 200ms, never 1s of calm: only max can let a render through.
    while (seen === '0' && Date.now() - start < 10_000) {
      await put('e2e/max/v', String(++n));
      longestGap = Math.max(longestGap, Date.now() - last);
      last = Date.now();
      await new Promise((r) => setTimeout(r, 200));
      seen = read(out);
    }
    const elapsed = Date.now() - start;
    expect(seen).not.toBe('0');
    expect(elapsed).toBeLessThan(6_000);
    // Unless the machine stalled a put for a whole second (then min may fire first), max decided.
    if (longestGap < 900) expect(elapsed).toBeGreaterThanOrEqual(1900);
    await t.stop();
  });
});

describe('-exec: a supervised child', () => {
  const childScript = () =>
    file(
      'child.cjs',
      `const fs = require('fs');
const [log, conf] = [process.env.CHILD_LOG, process.env.CHILD_CONF];
const note = (what) => fs.appendFileSync(log, what + ' ' + process.pid + ' ' + fs.readFileSync(conf, 'utf8').trim() + '\\n');
note('start');
process.on('SIGHUP', () => note('hup'));
process.on('SIGINT', () => { note('int'); process.exit(0); });
setInterval(() => {}, 1000);
`,
    );

  it('starts after the first render, gets the reload signal on change, and the kill signal on stop', async () => {
    const script = childScript();
    const tpl = file('exec.ctmpl', '{{ key "e2e/exec/v" }}');
    const conf = join(dir, 'exec.conf');
    const log = join(dir, 'exec-child.log');
    const t = startTemplate(['-http-addr', agent.address, '-template', `${tpl}:${conf}`, '-exec', `node ${script}`, '-exec-reload-signal', 'SIGHUP', '-log-level', 'debug'], {
      env: { CHILD_LOG: log, CHILD_CONF: conf },
    });
    await waitFor(() => t.stderr.includes('missing data for 1 dependencies: kv.block(e2e/exec/v)'), { what: 'the template to wait for its key' });
    expect(existsSync(log)).toBe(false);

    await put('e2e/exec/v', 'v1');
    await waitFor(() => lines(log).length === 1, { what: 'the child to start' });
    const [start] = lines(log);
    expect(start).toMatch(/^start \d+ v1$/);
    const pid = start.split(' ')[1];

    await put('e2e/exec/v', 'v2');
    await waitFor(() => lines(log).length === 2, { what: 'the reload signal' });
    expect(lines(log)[1]).toBe(`hup ${pid} v2`);

    expect(await t.stop()).toBe(0);
    expect(lines(log)[2]).toBe(`int ${pid} v2`);
  });

  it('restarts the child on change when there is no reload signal', async () => {
    const script = childScript();
    const tpl = file('restart.ctmpl', '{{ key "e2e/restart/v" }}');
    const conf = join(dir, 'restart.conf');
    const log = join(dir, 'restart-child.log');
    await put('e2e/restart/v', 'a');
    const t = startTemplate(['-http-addr', agent.address, '-template', `${tpl}:${conf}`, '-exec', `node ${script}`, '-exec-kill-timeout', '5s'], {
      env: { CHILD_LOG: log, CHILD_CONF: conf },
    });
    await waitFor(() => lines(log).length === 1, { what: 'the child to start' });
    await put('e2e/restart/v', 'b');
    await waitFor(() => lines(log).length === 3, { what: 'the child to be restarted' });
    const [first, stopped, second] = lines(log);
    const pid = first.split(' ')[1];
    expect(stopped).toBe(`int ${pid} b`);
    expect(second).toMatch(/^start \d+ b$/);
    expect(second.split(' ')[1]).not.toBe(pid);
    await t.stop();
  });

  it('ends with the child\'s exit code when the child exits on its own', async () => {
    const tpl = file('dies.ctmpl', 'static');
    const t = startTemplate(['-http-addr', agent.address, '-template', `${tpl}:${join(dir, 'dies.out')}`, '-exec', 'node -e "process.exit(7)"']);
    expect(await t.exited).toBe(7);
    expect(read(join(dir, 'dies.out'))).toBe('static');
  });
});
