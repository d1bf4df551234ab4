import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';
import { stripLeadingSlash } from '../kv/args.js';
import { startChild, type Child } from './child.js';
import { KeyLock, LockInUse } from './key-lock.js';
import { SEMAPHORE_KEY, Semaphore } from './semaphore.js';

const DEFAULT_MONITOR_RETRY = 3;

export const lockCommand = defineCommand({
  name: 'lock',
  synopsis: 'Execute a command holding a lock',
  usage: 'prefix child...',
  help: `
    Acquires a lock or semaphore at a given path, and invokes a child process
    when successful. The child process can assume the lock is held while it
    executes. If the lock is lost or communication is disrupted the child
    process will be sent a SIGTERM signal and given time to gracefully exit.
    After the grace period expires the process will be hard terminated.

    When -n=1, only a single lock holder or leader exists providing mutual
    exclusion. Setting a higher value switches to a semaphore allowing multiple
    holders to coordinate. Locks and semaphores are compatible with consul lock
    on the same prefix.

    The prefix provided must have write privileges.
  `,
  flags: {
    ...httpFlags,
    'child-exit-code': flag.bool(
      'Exit 2 if the child process exited with an error if this is true, otherwise this doesn\'t propagate an error from the child. The default value is false.',
    ),
    n: flag.int(
      'Optional limit on the number of concurrent lock holders. The underlying implementation switches from a lock to a semaphore when the value is greater than 1. The default value is 1.',
      1,
    ),
    'monitor-retry': flag.int(
      'Number of times to retry if Weft returns a 500 error while monitoring the lock. This allows riding out brief periods of unavailability without causing leader elections, but increases the amount of time required to detect a lost lock in some cases. The default value is 3, with a 1s wait between retries. Set this value to 0 to disable retires.',
      DEFAULT_MONITOR_RETRY,
    ),
    name: flag.string('Optional name to associate with the lock session. It not provided, one is generated based on the provided child command.'),
    'pass-stdin': flag.bool('Pass stdin to the child process.'),
    shell: flag.bool('Use a shell to run the command (can set a custom shell via the SHELL environment variable).', true),
    timeout: flag.duration('Maximum amount of time to wait to acquire the lock, specified as a duration like "1s" or "3h". The default value is 0.'),
    try: flag.duration('DEPRECATED. Use -timeout instead.', '0s', { hidden: true }),
    verbose: flag.bool('Enable verbose (debugging) output.'),
  },
  async run({ flags, args, io }) {
    const fail = (msg: string) => (io.stderr(`${msg}\n`), 1);
    const info = (msg: string) => flags.verbose && io.stdout(`${msg}\n`);
    if (flags.n <= 0) return fail('Lock holder limit must be positive');
    if (args.length < 2) return fail('Key prefix and child command must be specified');
    const prefix = stripLeadingSlash(args[0]);
    const childArgs = args.slice(1);
    const timeout = flags.timeout || flags.try;
    if (timeout < 0) return fail('Timeout must be positive');
    if (flags['monitor-retry'] < 0) return fail("Number for 'monitor-retry' must be >= 0");
    const sessionName = flags.name || `Weft lock for '${childArgs.join(' ')}' at '${prefix}'`;

    const client = apiClient(flags, io);
    try {
      try {
        await client.get('/v1/agent/self');
      } catch (err) {
        return fail(`Error querying Weft agent: ${(err as Error).message}`);
      }
      const common = { sessionName, tryOnceMs: timeout > 0 ? timeout : undefined, monitorRetries: flags['monitor-retry'] };
      const holder =
        flags.n === 1
          ? (info(`Setting up lock at path: ${prefix}/${SEMAPHORE_KEY}`), new KeyLock(client, { ...common, key: `${prefix}/${SEMAPHORE_KEY}` }))
          : (info(`Setting up semaphore (limit ${flags.n}) at prefix: ${prefix}`), new Semaphore(client, { ...common, prefix, limit: flags.n }));

      const shutdown = io.signal ?? new AbortController().signal;
      info('Attempting lock acquisition');
      let lost: AbortSignal | null;
      try {
        lost = await holder.acquire(shutdown);
      } catch (err) {
        return fail(`Lock acquisition failed: ${(err as Error).message}`);
      }
      if (!lost) return fail('Shutdown triggered or timeout during lock acquisition');

      let childCode = 0;
      if (shutdown.aborted) io.stderr('Shutdown triggered during lock acquisition\n');
      else {
        info('Starting handler');
        const env = { ...io.env, CONSUL_LOCK_HELD: 'true', WEFT_LOCK_HELD: 'true' };
        const child: Child = startChild(childArgs, { shell: flags.shell, passStdin: flags['pass-stdin'], env, io });
        const outcome = await Promise.race([
          child.exited.then(
            (code) => ({ kind: 'exit' as const, ok: code === 0 }),
            (err: Error) => (io.stderr(`Error starting handler: ${err.message}\n`), { kind: 'exit' as const, ok: false }),
          ),
          once(lost).then(() => ({ kind: 'lost' as const, ok: true })),
          once(shutdown).then(() => ({ kind: 'shutdown' as const, ok: true })),
        ]);
        if (outcome.kind === 'exit') {
          if (!outcome.ok) childCode = 2;
          info('Child terminated, releasing lock');
        } else {
          info(outcome.kind === 'lost' ? 'Lock lost, killing child' : 'Shutdown triggered, killing child');
          await child.stop();
        }
      }

      try {
        await holder.release();
      } catch (err) {
        return fail(`Lock release failed: ${(err as Error).message}`);
      }
      try {
        await holder.destroy();
        info('Cleanup succeeded');
      } catch (err) {
        if (!(err instanceof LockInUse)) return fail(`Lock cleanup failed: ${(err as Error).message}`);
        info('Cleanup aborted, lock in use');
      }
      return flags['child-exit-code'] ? childCode : 0;
    } finally {
      client.close();
    }
  },
});

function once(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}
