import type { Writable } from 'node:stream';
import { ApiClient } from '../../api/index.js';
import { formatDuration } from '../../lib/duration.js';
import { createLogger, subsystem } from '../../lib/log.js';
import { type FileLayer, loadRunnerConfig, parseTemplateFlag, Runner, type RunnerConfig } from '../../template/index.js';
import { defineCommand } from '../command.js';
import { flag, type FlagValues } from '../flags.js';
import { httpClientFlags, resolveHttpOptions } from '../http-flags.js';

const withAliases = <T extends object>(def: T, aliases: string[]): T => ({ ...def, aliases });

/** Weft's HTTP flags, also under consul-template's names so existing unit files work. */
const connectionFlags = {
  'http-addr': withAliases(httpClientFlags['http-addr'], ['consul-addr']),
  token: withAliases(httpClientFlags.token, ['consul-token']),
  'token-file': withAliases(httpClientFlags['token-file'], ['consul-token-file']),
  'ca-file': withAliases(httpClientFlags['ca-file'], ['consul-ssl-ca-cert']),
  'ca-path': withAliases(httpClientFlags['ca-path'], ['consul-ssl-ca-path']),
  'client-cert': withAliases(httpClientFlags['client-cert'], ['consul-ssl-cert']),
  'client-key': withAliases(httpClientFlags['client-key'], ['consul-ssl-key']),
  'tls-server-name': withAliases(httpClientFlags['tls-server-name'], ['consul-ssl-server-name']),
};

const group = 'consul-template Options';

const templateFlags = {
  ...connectionFlags,
  config: flag.list('Sets the path to a configuration file or folder (HCL or JSON). May be given more than once; files merge left to right and flags take precedence.', { group }),
  template: flag.list('Adds a template: "source:destination[:command]". May be given more than once.', { group }),
  once: flag.bool('Renders each template once and exits, non-zero on any error.', false, { group }),
  dry: flag.bool('Prints rendered templates to stdout ("> destination" headers) instead of writing files; runs no commands.', false, { group }),
  wait: flag.string('Quiescence timers "min[:max]" (e.g. "5s:30s"): render only after data has been still for min, and at least every max.', '', { group }),
  'max-stale': flag.duration('Lets any server answer reads while its data is no older than this (0 disables stale reads).', '2s', { group }),
  'block-query-wait': flag.duration('How long each blocking query waits for a change.', '60s', { group }),
  'log-level': flag.string('Log level: trace, debug, info, warn, err.', '', { group }),
  exec: flag.string('A command to run and supervise: started after the first render, reloaded (or restarted) after each change.', '', { group }),
  'exec-reload-signal': flag.string('Signal sent to the exec child after a change; without one the child is restarted.', '', { group }),
  'exec-kill-signal': flag.string('Signal that stops the exec child (default SIGINT).', '', { group }),
  'exec-kill-timeout': flag.duration('How long the exec child may take to stop before SIGKILL.', '30s', { group }),
  'exec-splay': flag.duration('Waits a random time up to this before reloading or stopping the exec child.', '0s', { group }),
  'consul-retry': flag.bool('Retries failed queries with backoff.', true, { group }),
  'consul-retry-attempts': flag.int('Retries before giving up (0 retries forever).', 12, { group }),
  'consul-retry-backoff': flag.duration('First retry delay; it doubles each attempt.', '250ms', { group }),
  'consul-retry-max-backoff': flag.duration('Longest retry delay.', '1m', { group }),
  'consul-ssl': flag.bool('Uses HTTPS to talk to the agent.', false, { group }),
  'consul-ssl-verify': flag.bool('Verifies the agent\'s certificate.', true, { group }),
  'pid-file': flag.string('Writes the process id to this file while running.', '', { group }),
  'default-left-delimiter': flag.string('Left delimiter of templates that set none.', '', { group }),
  'default-right-delimiter': flag.string('Right delimiter of templates that set none.', '', { group }),
  'template-error-fatal': flag.bool('Stops on a template execution error (otherwise it is logged and watching goes on).', true, { group }),
};

type Flags = FlagValues<typeof templateFlags>;

/** The command line as one more config layer, laid over the files (consul-template's order). */
function flagsLayer(flags: Flags, set: ReadonlySet<string>): FileLayer {
  const layer: FileLayer = {};
  const given = (name: keyof Flags) => set.has(name);
  if (flags.template.length) {
    layer.template = flags.template.map((t) => {
      const { source, destination, command } = parseTemplateFlag(t);
      return { source, destination, command };
    });
  }
  if (given('wait')) layer.wait = flags.wait;
  if (given('max-stale')) layer.max_stale = `${flags['max-stale']}ms`;
  if (given('block-query-wait')) layer.block_query_wait = `${flags['block-query-wait']}ms`;
  if (given('log-level')) layer.log_level = flags['log-level'];
  if (given('pid-file')) layer.pid_file = flags['pid-file'];
  if (given('template-error-fatal')) layer.template_error_fatal = flags['template-error-fatal'];
  const delims: NonNullable<FileLayer['default_delimiters']> = {};
  if (given('default-left-delimiter')) delims.left = flags['default-left-delimiter'];
  if (given('default-right-delimiter')) delims.right = flags['default-right-delimiter'];
  if (Object.keys(delims).length) layer.default_delimiters = delims;
  const exec: NonNullable<FileLayer['exec']> = {};
  if (given('exec')) exec.command = flags.exec;
  if (given('exec-reload-signal')) exec.reload_signal = flags['exec-reload-signal'];
  if (given('exec-kill-signal')) exec.kill_signal = flags['exec-kill-signal'];
  if (given('exec-kill-timeout')) exec.kill_timeout = `${flags['exec-kill-timeout']}ms`;
  if (given('exec-splay')) exec.splay = `${flags['exec-splay']}ms`;
  if (Object.keys(exec).length) layer.exec = exec;
  const retry: Record<string, unknown> = {};
  if (given('consul-retry')) retry.enabled = flags['consul-retry'];
  if (given('consul-retry-attempts')) retry.attempts = flags['consul-retry-attempts'];
  if (given('consul-retry-backoff')) retry.backoff = formatDuration(flags['consul-retry-backoff']);
  if (given('consul-retry-max-backoff')) retry.max_backoff = formatDuration(flags['consul-retry-max-backoff']);
  const ssl: Record<string, unknown> = {};
  if (given('consul-ssl')) ssl.enabled = flags['consul-ssl'];
  if (given('consul-ssl-verify')) ssl.verify = flags['consul-ssl-verify'];
  if (Object.keys(retry).length || Object.keys(ssl).length) {
    layer.consul = { ...(Object.keys(retry).length ? { retry } : {}), ...(Object.keys(ssl).length ? { ssl } : {}) };
  }
  return layer;
}

/** Flags beat the config file's `consul` block, which beats WEFT_/CONSUL_ environment variables. */
function apiClientFor(flags: Flags, config: RunnerConfig, env: NodeJS.ProcessEnv): ApiClient {
  const { consul } = config;
  const tls = consul.tls ?? {};
  let address = flags['http-addr'] || consul.address || '';
  if (address && tls.enabled && !/^[a-z]+:\/\//i.test(address)) address = `https://${address}`;
  const o = resolveHttpOptions(
    {
      ...flags,
      'http-addr': address,
      token: flags.token || consul.token || '',
      'token-file': flags['token-file'] || consul.tokenFile || '',
      'ca-file': flags['ca-file'] || tls.caFile || '',
      'ca-path': flags['ca-path'] || tls.caPath || '',
      'client-cert': flags['client-cert'] || tls.certFile || '',
      'client-key': flags['client-key'] || tls.keyFile || '',
      'tls-server-name': flags['tls-server-name'] || tls.serverName || '',
    },
    env,
  );
  const tlsOptions = tls.verify === false ? { ...o.tls, insecureSkipVerify: true } : o.tls;
  return new ApiClient({ address: o.address, token: o.token, tls: tlsOptions });
}

export const templateCommand = defineCommand({
  name: 'template',
  synopsis: 'Renders templates from Weft data (consul-template)',
  usage: '',
  help: `
    Watches a series of templates on the file system, writing new changes when
    the catalog or KV changes, and optionally running a command after each
    change or supervising a child process. It runs until interrupted unless
    -once is given. Templates are consul-template's: Go text/template with
    key, service, tree, ... (see docs/template.md).

        $ weft template -template "nginx.ctmpl:/etc/nginx/conf.d/app.conf:nginx -s reload"
        $ weft template -config /etc/weft-template.d/ -once
        $ weft template -template in.ctmpl -dry

    consul-template's -consul-addr, -consul-token, -consul-token-file and
    -consul-ssl-ca-cert/-cert/-key/-server-name flags are accepted as names of
    the matching HTTP API options.
  `,
  flags: templateFlags,
  async run({ flags, set, io }) {
    const config = await loadRunnerConfig(flags.config, flagsLayer(flags, set), { once: flags.once, dry: flags.dry });
    const client = apiClientFor(flags, config, io.env);
    const stream = { write: (s: string) => (io.stderr(s), true) } as unknown as Writable;
    const log = subsystem(createLogger({ level: config.logLevel, json: false, destination: stream }), 'template');
    try {
      const runner = await Runner.create({ config, client, env: io.env, out: { stdout: io.stdout, stderr: io.stderr }, log });
      const stop = () => void runner.stop();
      io.signal?.addEventListener('abort', stop, { once: true });
      // consul-template re-reads its configuration on SIGHUP; Weft keeps running with the one it has.
      const stopHangups = io.onHangup?.(() => log.warn('SIGHUP received: reloading the configuration is not supported; restart weft template to apply config changes'));
      try {
        return await runner.start();
      } finally {
        io.signal?.removeEventListener('abort', stop);
        stopHangups?.();
      }
    } finally {
      client.close();
    }
  },
});
