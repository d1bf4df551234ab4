import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isWeftError } from '../lib/errors.js';
import { removeDir, tempDir, waitFor } from '../../test/e2e/harness.js';
import { assertAllowed, CheckRunner, parseCheckDefinition, probeCheck, SCRIPTS_DISABLED, type CheckUpdate } from './index.js';

const dir = tempDir('weft-checks-script-');
afterAll(() => removeDir(dir));
const runners: CheckRunner[] = [];
afterEach(() => runners.splice(0).forEach((r) => r.stop()));

const scriptCheck = (script: string, extra: Record<string, unknown> = {}) =>
  parseCheckDefinition({ Name: 'script', Interval: '10s', Args: ['/bin/sh', '-c', script], ...extra });
const probe = (script: string, extra: Record<string, unknown> = {}) => probeCheck(scriptCheck(script, extra), { signal: new AbortController().signal });

/** Whether a process still runs; a killed one may linger as a zombie until its new parent reaps it. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('script check', () => {
  it('maps exit 0 / 1 / other to passing / warning / critical, with stdout and stderr as output', async () => {
    expect(await probe('echo fine')).toEqual({ status: 'passing', output: 'fine\n' });
    expect(await probe('echo slow; echo "disk 91%" >&2; exit 1')).toEqual({ status: 'warning', output: 'slow\ndisk 91%\n' });
    expect(await probe('echo down; exit 2')).toEqual({ status: 'critical', output: 'down\n' });
    expect(await probe('kill -9 $$')).toEqual({ status: 'critical', output: '' });
  });

  it('runs the arguments without a shell', async () => {
    const def = parseCheckDefinition({ Name: 'echo', Interval: '10s', ScriptArgs: ['/bin/echo', '$HOME', '`id`;', '|'] });
    expect(await probeCheck(def, { signal: new AbortController().signal })).toEqual({ status: 'passing', output: '$HOME `id`; |\n' });
  });

  it('keeps the last OutputMaxSize bytes under Consul\'s "Captured" header', async () => {
    const r = await probe("head -c 5000 /dev/zero | tr '\\0' x; printf TAIL", { OutputMaxSize: 10 });
    expect(r).toEqual({ status: 'passing', output: 'Captured 10 of 5004 bytes\n...\nxxxxxxTAIL' });
  });

  it('kills the script and everything it started at the timeout', async () => {
    const pidFile = join(dir, 'timeout.pid');
    const r = await probe(`sleep 30 & echo $! > ${pidFile}; echo started; wait`, { Timeout: '300ms' });
    expect(r).toEqual({ status: 'critical', output: 'Timed out (300ms) running check\n\nstarted\n' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !alive(pid), { what: 'the background sleep to be killed' });
  });

  it('is critical with Go\'s wording when the program does not exist', async () => {
    const def = parseCheckDefinition({ Name: 'x', Interval: '10s', args: ['weft-no-such-program'] });
    expect(await probeCheck(def, { signal: new AbortController().signal })).toEqual({
      status: 'critical',
      output: 'exec: "weft-no-such-program": executable file not found in $PATH',
    });
  });

  it('stop() kills a running script at once', async () => {
    const pidFile = join(dir, 'stop.pid');
    const runner = new CheckRunner({ ...scriptCheck(`echo $$ > ${pidFile}; exec sleep 30`), intervalMs: 10 }, {
      onUpdate: () => {
        throw new Error('no update expected');
      },
      scriptChecksEnabled: true,
    });
    runners.push(runner);
    runner.start();
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', { what: 'the script to start' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    runner.stop();
    await waitFor(() => !alive(pid), { what: 'the script to be killed' });
  });
});

describe('script checks when disabled', () => {
  it('are refused at registration with Consul\'s messages', () => {
    const def = scriptCheck('true');
    const refusal = (source?: 'local' | 'remote') => {
      try {
        assertAllowed(def, { scriptChecksEnabled: false, source });
      } catch (err) {
        return isWeftError(err, 'BAD_REQUEST') ? err.message : `unexpected ${String(err)}`;
      }
      return 'allowed';
    };
    expect(refusal()).toBe("Scripts are disabled on this agent from remote calls; to enable, configure 'enable_script_checks' to true");
    expect(refusal('local')).toBe("Scripts are disabled on this agent; to enable, configure 'enable_script_checks' or 'enable_local_script_checks' to true");
    expect(() => assertAllowed(def, { scriptChecksEnabled: true })).not.toThrow();
    expect(() => assertAllowed(parseCheckDefinition({ Name: 't', TTL: '10s' }), { scriptChecksEnabled: false })).not.toThrow();
  });

  it('never run under a runner that was not allowed to run scripts', async () => {
    const marker = join(dir, 'ran');
    const updates: CheckUpdate[] = [];
    const runner = new CheckRunner({ ...scriptCheck(`touch ${marker}`), intervalMs: 10, initialStatus: 'passing' }, {
      onUpdate: (u) => updates.push(u),
      scriptChecksEnabled: false,
    });
    runners.push(runner);
    runner.start();
    await waitFor(() => updates.length === 1);
    expect(updates).toEqual([{ id: 'script', status: 'critical', output: SCRIPTS_DISABLED }]);
    expect(existsSync(marker)).toBe(false);
  });
});
