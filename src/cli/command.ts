import { WeftError } from '../lib/errors.js';
import { formatUsage, HelpRequested, parseFlags, type FlagSpec, type FlagValues } from './flags.js';

const PROGRAM = 'weft';
const HELP_ARGS = new Set(['-h', '-help', '--help']);
const VERSION_ARGS = new Set(['-v', '-version', '--version']);

export interface CommandIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Subscribes to hang-ups (SIGHUP); returns the unsubscribe. Only the entry point touches signals. */
  onHangup?: (listener: () => void) => () => void;
}

export interface Command {
  /** Space-separated words, e.g. 'kv put'. */
  readonly name: string;
  readonly synopsis: string;
  /** Usage text printed above the flags. */
  readonly help: string;
  /** Positional-argument synopsis printed after `[options]`, e.g. 'KEY [DATA]'. */
  readonly usage?: string;
  readonly flags?: FlagSpec;
  /** Left out of command lists but still runnable. */
  readonly hidden?: boolean;
  /** Only groups subcommands (like `consul kv`); dispatch prints its help instead of running it. */
  readonly group?: boolean;
  run(argv: string[], io: CommandIO): Promise<number>;
}

export interface CommandContext<S extends FlagSpec> {
  flags: FlagValues<S>;
  args: string[];
  set: ReadonlySet<keyof S & string>;
  io: CommandIO;
}

export interface CommandDefinition<S extends FlagSpec> {
  name: string;
  synopsis: string;
  help: string;
  usage?: string;
  hidden?: boolean;
  flags: S;
  run(ctx: CommandContext<S>): Promise<number>;
}

export function defineCommand<S extends FlagSpec>(def: CommandDefinition<S>): Command {
  return {
    name: def.name,
    synopsis: def.synopsis,
    help: def.help,
    usage: def.usage,
    hidden: def.hidden,
    flags: def.flags,
    async run(argv, io) {
      const { flags, args, set } = parseFlags(def.flags, argv);
      return def.run({ flags, args, set, io });
    },
  };
}

/** A parent word such as `kv` that exists to describe and list its subcommands. */
export function defineGroup(def: { name: string; synopsis: string; help: string; hidden?: boolean }): Command {
  return {
    ...def,
    group: true,
    async run() {
      throw new HelpRequested();
    },
  };
}

function dedent(text: string): string[] {
  const lines = text.replace(/^\s*\n/, '').trimEnd().split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0));
}

/** Direct children of `parent` ('' for the top level), including implied parent words. */
function children(commands: readonly Command[], parent: string): Map<string, string> {
  const depth = parent ? parent.split(' ').length : 0;
  const out = new Map<string, string>();
  for (const c of commands) {
    if (c.hidden) continue;
    const words = c.name.split(' ');
    if (words.length <= depth || (parent && words.slice(0, depth).join(' ') !== parent)) continue;
    const word = words[depth];
    if (words.length === depth + 1) out.set(word, c.synopsis);
    else if (!out.has(word)) out.set(word, '');
  }
  return out;
}

function listCommands(title: string, entries: Map<string, string>): string {
  const names = [...entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const width = Math.max(0, ...names.map((n) => n.length));
  const rows = names.map((n) => `    ${n.padEnd(width)}    ${entries.get(n)}`.trimEnd());
  return [title, ...rows].join('\n');
}

/** Root help, in the shape of mitchellh/cli's BasicHelpFunc that Consul uses. */
export function formatCommandList(commands: readonly Command[]): string {
  return (
    `Usage: ${PROGRAM} [--version] [--help] <command> [<args>]\n\n` +
    listCommands('Available commands are:', children(commands, ''))
  );
}

/** Full help for one command (or parent word), with its flags and subcommands. */
export function formatHelp(name: string, commands: readonly Command[]): string {
  const cmd = commands.find((c) => c.name === name);
  const subs = children(commands, name);
  const flags = cmd?.flags ?? {};
  const hasFlags = Object.values(flags).some((d) => !d.hidden);
  const head =
    subs.size > 0 && (!cmd || cmd.group)
      ? `Usage: ${PROGRAM} ${name} <subcommand> [options] [args]`
      : `Usage: ${PROGRAM} ${name}${hasFlags ? ' [options]' : ''}${cmd?.usage ? ` ${cmd.usage}` : ''}`;
  const parts = [head];
  if (cmd?.help.trim()) parts.push(dedent(cmd.help).map((l) => (l ? `  ${l}` : '')).join('\n'));
  if (hasFlags) parts.push(formatUsage(flags));
  if (subs.size > 0) parts.push(listCommands('Subcommands:', subs));
  return parts.join('\n\n');
}

// Error text may carry server bodies; the CLI contract is one line per error.
const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

async function execute(cmd: Command, argv: string[], commands: readonly Command[], io: CommandIO): Promise<number> {
  try {
    return await cmd.run(argv, io);
  } catch (err) {
    if (err instanceof HelpRequested) {
      io.stdout(formatHelp(cmd.name, commands) + '\n');
      return 0;
    }
    // An interrupted command (Ctrl-C) ends quietly with the shell's conventional code.
    if (io.signal?.aborted) return 130;
    if (err instanceof WeftError) {
      io.stderr(oneLine(err.message) + '\n');
      if (err.code === 'FLAG_INVALID') io.stderr(`Run '${PROGRAM} ${cmd.name} -h' for usage.\n`);
      return 1;
    }
    io.stderr(`Error: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
}

function leadingWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  return words;
}

/**
 * Runs the command whose name is the longest match of argv's leading words and maps its
 * outcome to an exit code. Bare `weft` or a bare parent word prints help and returns 1
 * (a usage error, as Consul does); an explicit `-h` returns 0.
 */
export async function dispatch(commands: readonly Command[], argv: string[], io: CommandIO): Promise<number> {
  const first = argv[0];
  if (first === undefined || HELP_ARGS.has(first)) {
    io.stdout(formatCommandList(commands) + '\n');
    return first === undefined ? 1 : 0;
  }
  const version = commands.find((c) => c.name === 'version');
  if (VERSION_ARGS.has(first) && version) return execute(version, argv.slice(1), commands, io);

  const words = leadingWords(argv);
  for (let n = words.length; n > 0; n--) {
    const name = words.slice(0, n).join(' ');
    const cmd = commands.find((c) => c.name === name);
    if (cmd && !cmd.group) return execute(cmd, argv.slice(n), commands, io);
    const isParent = cmd !== undefined || commands.some((c) => c.name.startsWith(name + ' '));
    if (!isParent) continue;
    const next = argv[n];
    if (next === undefined || HELP_ARGS.has(next)) {
      io.stdout(formatHelp(name, commands) + '\n');
      return next === undefined ? 1 : 0;
    }
    io.stderr(`Unknown command: ${JSON.stringify(`${name} ${next}`)}\n\n${formatHelp(name, commands)}\n`);
    return 1;
  }
  io.stderr(`Unknown command: ${JSON.stringify(first)}\n\n${formatCommandList(commands)}\n`);
  return 1;
}
