import { Readable } from 'node:stream';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { WeftError } from '../lib/errors.js';
import { defineCommand, defineGroup, dispatch, type Command, type CommandIO } from './command.js';
import { flag } from './flags.js';

function harness(signal?: AbortSignal): { io: CommandIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CommandIO = {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    stdin: Readable.from([]),
    env: {},
    signal,
  };
  return { io, out: () => out, err: () => err };
}

const calls: string[] = [];

const commands: Command[] = [
  defineGroup({ name: 'kv', synopsis: 'Interact with the key-value store', help: 'Subcommands for the KV store.' }),
  defineCommand({
    name: 'kv put',
    synopsis: 'Sets or updates data in the KV store',
    help: `
      Writes the data to the given path in the key-value store.

        $ weft kv put config/redis/maxconns 5`,
    usage: 'KEY [DATA]',
    flags: { cas: flag.bool('Perform a Check-And-Set operation.'), 'modify-index': flag.uint('Index.') },
    async run({ flags, args, set, io }) {
      expectTypeOf(flags['modify-index']).toEqualTypeOf<number>();
      expectTypeOf(set).toEqualTypeOf<ReadonlySet<'cas' | 'modify-index'>>();
      calls.push(`put ${JSON.stringify({ flags, args, set: [...set] })}`);
      if (args.length === 0) throw new WeftError('FLAG_INVALID', 'Missing KEY argument');
      io.stdout(`Success! Data written to: ${args[0]}\n`);
      return 0;
    },
  }),
  defineCommand({ name: 'kv get', synopsis: 'Retrieves data', help: 'Reads.', flags: {}, run: async () => 3 }),
  defineCommand({
    name: 'members',
    synopsis: 'Lists the members of a Weft cluster',
    help: 'Outputs the members.',
    flags: {},
    async run() {
      throw new Error('connection refused\nretry later');
    },
  }),
  defineCommand({
    name: 'monitor',
    synopsis: 'Stream logs from an agent',
    help: '',
    flags: {},
    async run() {
      throw new DOMException('This operation was aborted', 'AbortError');
    },
  }),
  defineCommand({ name: 'secret', synopsis: 'x', help: '', flags: {}, hidden: true, run: async () => 7 }),
  defineCommand({
    name: 'version',
    synopsis: 'Prints the Weft version',
    help: '',
    flags: {},
    async run({ io }) {
      io.stdout('Weft v0.1.0\n');
      return 0;
    },
  }),
  defineCommand({ name: 'acl token create', synopsis: 'Create a token', help: '', flags: {}, run: async () => 0 }),
];

const run = async (...argv: string[]) => {
  const h = harness();
  const code = await dispatch(commands, argv, h.io);
  return { code, out: h.out(), err: h.err() };
};

describe('dispatch', () => {
  it('runs the longest matching command with the rest of argv', async () => {
    calls.length = 0;
    const r = await run('kv', 'put', '-cas', '-modify-index=3', 'key', 'value');
    expect(r).toEqual({ code: 0, out: 'Success! Data written to: key\n', err: '' });
    expect(calls).toEqual(['put {"flags":{"cas":true,"modify-index":3},"args":["key","value"],"set":["cas","modify-index"]}']);
    expect((await run('kv', 'get', 'x')).code).toBe(3);
    expect((await run('acl', 'token', 'create')).code).toBe(0);
  });

  it('prints the command list for no arguments (exit 1) and -h (exit 0)', async () => {
    const bare = await run();
    expect(bare.code).toBe(1);
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toBe(bare.out);
    expect(help.out).toBe(
      [
        'Usage: weft [--version] [--help] <command> [<args>]',
        '',
        'Available commands are:',
        '    acl',
        '    kv         Interact with the key-value store',
        '    members    Lists the members of a Weft cluster',
        '    monitor    Stream logs from an agent',
        '    version    Prints the Weft version',
        '',
      ].join('\n'),
    );
  });

  it('lists subcommands of a parent word', async () => {
    const r = await run('kv');
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        'Usage: weft kv <subcommand> [options] [args]',
        '',
        '  Subcommands for the KV store.',
        '',
        'Subcommands:',
        '    get    Retrieves data',
        '    put    Sets or updates data in the KV store',
        '',
      ].join('\n'),
    );
    expect((await run('kv', '-h')).code).toBe(0);
    const implied = await run('acl', 'token', '--help');
    expect(implied.code).toBe(0);
    expect(implied.out).toBe('Usage: weft acl token <subcommand> [options] [args]\n\nSubcommands:\n    create    Create a token\n');
  });

  it('reports unknown commands on stderr with exit 1', async () => {
    const r = await run('nope', 'x');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.startsWith('Unknown command: "nope"\n\nUsage: weft [--version]')).toBe(true);
    const sub = await run('kv', 'nope');
    expect(sub.code).toBe(1);
    expect(sub.err.startsWith('Unknown command: "kv nope"\n\nUsage: weft kv <subcommand>')).toBe(true);
  });

  it('prints command help with flags on -h and exits 0', async () => {
    const r = await run('kv', 'put', '-h');
    expect(r).toEqual({
      code: 0,
      err: '',
      out: [
        'Usage: weft kv put [options] KEY [DATA]',
        '',
        '  Writes the data to the given path in the key-value store.',
        '',
        '    $ weft kv put config/redis/maxconns 5',
        '',
        'Command Options',
        '',
        '  -cas',
        '     Perform a Check-And-Set operation.',
        '',
        '  -modify-index=<uint>',
        '     Index.',
        '',
      ].join('\n'),
    });
  });

  it('prints a flag error and a usage hint, exit 1', async () => {
    const r = await run('kv', 'put', '-bogus');
    expect(r).toEqual({
      code: 1,
      out: '',
      err: "flag provided but not defined: -bogus\nRun 'weft kv put -h' for usage.\n",
    });
    expect((await run('kv', 'put')).err).toBe("Missing KEY argument\nRun 'weft kv put -h' for usage.\n");
  });

  it('prints other errors as one line, exit 1', async () => {
    expect(await run('members')).toEqual({ code: 1, out: '', err: 'Error: connection refused retry later\n' });
  });

  it('ends quietly with 130 when the command was interrupted', async () => {
    const ac = new AbortController();
    ac.abort();
    const h = harness(ac.signal);
    expect(await dispatch(commands, ['monitor'], h.io)).toBe(130);
    expect(h.err()).toBe('');
  });

  it('runs hidden commands and the version command for --version and -v', async () => {
    expect((await run('secret')).code).toBe(7);
    expect(await run('--version')).toEqual({ code: 0, out: 'Weft v0.1.0\n', err: '' });
    expect((await run('-v')).out).toBe('Weft v0.1.0\n');
    expect((await dispatch([], ['--version'], harness().io))).toBe(1);
  });
});
