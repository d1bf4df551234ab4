import { isDeepStrictEqual } from 'node:util';
import { stringifyExact } from '../../../lib/uint64-json.js';
import { formatDuration } from '../../../lib/duration.js';
import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';
import { sleep } from '../lock/session.js';
import { startChild } from '../lock/child.js';
import { PLAN_TYPES, type WatchParams } from './plans.js';

const RETRY_INTERVAL_MS = 5_000;
const MAX_BACKOFF_MS = 180_000;

export const watchCommand = defineCommand({
  name: 'watch',
  synopsis: 'Watch for changes in Weft',
  usage: '[child...]',
  help: `
    Watches for changes in a given data view from Weft. If a child process is
    specified, it will be invoked with the latest results on changes, with the
    JSON on its stdin. Otherwise, the latest values are dumped to stdout and the
    watch terminates. Like consul watch, a handler also runs once at start.

    Providing the watch type is required, and other parameters may be required
    or supported depending on the watch type.

        $ weft watch -type=key -key=config/feature-flag ./reload.sh
        $ weft watch -type=service -service=web -passingonly cat
  `,
  flags: {
    ...httpFlags,
    key: flag.string('Specifies the key to watch. Only for \'key\' type.'),
    name: flag.string('Specifies an event name to watch. Only for \'event\' type.'),
    passingonly: flag.bool("Specifies if only hosts passing all checks are displayed. Optional for 'service' type, defaults false.", false, { aliases: ['passing'] }),
    prefix: flag.string("Specifies the key prefix to watch. Only for 'keyprefix' type."),
    service: flag.string("Specifies the service to watch. Required for 'service' type, optional for 'checks' type."),
    shell: flag.bool('Use a shell to run the command (can set a custom shell via the SHELL environment variable).', true),
    state: flag.string("Specifies the states to watch. Optional for 'checks' type."),
    tag: flag.list("Specifies the service tag(s) to filter on. Optional for 'service' type, may be specified multiple times."),
    type: flag.string('Specifies the watch type. One of key, keyprefix, services, nodes, service, checks, or event.'),
  },
  async run({ flags, args, io }) {
    if (!flags.type) {
      io.stderr('Watch type must be specified\n');
      return 1;
    }
    const plan = PLAN_TYPES[flags.type];
    if (!plan) return (io.stderr(`Unsupported watch type: ${flags.type}\n`), 1);
    const params: WatchParams = {
      key: flags.key,
      prefix: flags.prefix,
      service: flags.service,
      tag: flags.tag,
      passingonly: flags.passingonly,
      state: flags.state,
      name: flags.name,
    };
    const given = (Object.keys(params) as (keyof WatchParams)[]).filter((k) => (Array.isArray(params[k]) ? (params[k] as string[]).length : params[k]));
    const invalid = given.filter((k) => !plan.params.includes(k)).sort();
    if (invalid.length) return (io.stderr(`Invalid parameters: [${invalid.join(' ')}]\n`), 1);
    let fetch;
    try {
      fetch = plan.build(params);
    } catch (err) {
      return (io.stderr(`${(err as Error).message}\n`), 1);
    }

    const stop = io.signal ?? new AbortController().signal;
    const client = apiClient(flags, io);
    let lastIndex: number | undefined;
    let lastValue: unknown;
    let failures = 0;
    try {
      while (!stop.aborted) {
        let fetched;
        try {
          fetched = await fetch(client, lastIndex ?? 0, stop);
        } catch (err) {
          if (stop.aborted) break;
          failures++;
          const retry = Math.min(RETRY_INTERVAL_MS * failures * failures, MAX_BACKOFF_MS);
          io.stderr(`Watch errored: ${(err as Error).message}, retry in ${formatDuration(retry)}\n`);
          if (!(await sleep(retry, stop))) break;
          continue;
        }
        failures = 0;
        if (lastIndex !== undefined && fetched.index === lastIndex) continue;
        const previous = lastIndex;
        // An index that went backwards (a restored store) starts over from 0, as Consul's plan does.
        lastIndex = previous !== undefined && fetched.index < previous ? 0 : fetched.index;
        if (previous !== undefined && isDeepStrictEqual(lastValue, fetched.value)) continue;
        lastValue = fetched.value;

        if (args.length === 0) {
          io.stdout(`${stringifyExact(fetched.value, ['Flags'], 4)}\n`);
          return 0;
        }
        const env = { ...io.env, CONSUL_INDEX: String(fetched.index), WEFT_INDEX: String(fetched.index) };
        const child = startChild(args, { shell: flags.shell, env, io, input: `${stringifyExact(fetched.value, ['Flags'])}\n` });
        const onStop = () => void child.stop();
        stop.addEventListener('abort', onStop, { once: true });
        const code = await child.exited.catch((err: Error) => (io.stderr(`Error executing handler: ${err.message}\n`), -1));
        stop.removeEventListener('abort', onStop);
        if (stop.aborted) break;
        if (code !== 0) {
          if (code !== -1) io.stderr(`Error executing handler: exit status ${code}\n`);
          return 1;
        }
      }
      return 0;
    } finally {
      client.close();
    }
  },
});
