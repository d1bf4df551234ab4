import { parseDuration } from '../lib/duration.js';
import { WeftError } from '../lib/errors.js';

/**
 * Command-line flags with the semantics of Go's `flag` package, because Weft's CLI
 * mirrors Consul's and scripts written for `consul` must parse the same way.
 */

export type FlagKind = 'bool' | 'string' | 'int' | 'uint' | 'duration' | 'list' | 'keyValue' | 'enum';

export interface FlagOptions {
  /** Extra names accepted on the command line, e.g. `join` for `retry-join`. */
  readonly aliases?: readonly string[];
  /** Accepted but left out of the usage text (deprecated or internal flags). */
  readonly hidden?: boolean;
  /** Usage section title, e.g. "HTTP API Options"; ungrouped flags print under "Command Options". */
  readonly group?: string;
}

export interface FlagDef<T> {
  readonly kind: FlagKind;
  readonly usage: string;
  readonly initial: T;
  readonly aliases: readonly string[];
  readonly hidden: boolean;
  readonly group?: string;
  readonly choices?: readonly string[];
  readonly separator?: string;
}

export type FlagSpec = { readonly [name: string]: FlagDef<unknown> };

export type FlagValues<S extends FlagSpec> = {
  -readonly [K in keyof S]: S[K] extends FlagDef<infer T> ? T : never;
};

export interface ParsedFlags<S extends FlagSpec> {
  flags: FlagValues<S>;
  /** Arguments after the flags; `--` is consumed, a lone `-` is kept. */
  args: string[];
  /** Canonical names of flags given on the command line, so callers can layer flags over config files. */
  set: Set<keyof S & string>;
}

/** Thrown for `-h`/`-help`/`--help`; the CLI edge prints usage and exits 0. */
export class HelpRequested extends WeftError {
  readonly help = true;
  constructor() {
    super('FLAG_INVALID', 'flag: help requested');
    this.name = 'HelpRequested';
  }
}

export function isHelpRequested(err: unknown): err is HelpRequested {
  return err instanceof HelpRequested;
}

function def<T>(kind: FlagKind, usage: string, initial: T, opts: FlagOptions = {}, extra: Partial<FlagDef<T>> = {}): FlagDef<T> {
  return { kind, usage, initial, aliases: opts.aliases ?? [], hidden: opts.hidden ?? false, group: opts.group, ...extra };
}

export const flag = {
  bool: (usage: string, dflt = false, opts?: FlagOptions): FlagDef<boolean> => def('bool', usage, dflt, opts),
  string: (usage: string, dflt = '', opts?: FlagOptions): FlagDef<string> => def('string', usage, dflt, opts),
  int: (usage: string, dflt = 0, opts?: FlagOptions): FlagDef<number> => def('int', usage, dflt, opts),
  uint: (usage: string, dflt = 0, opts?: FlagOptions): FlagDef<number> => def('uint', usage, dflt, opts),
  /** Value in milliseconds; the default is a Go duration string such as "5m". */
  duration: (usage: string, dflt = '0s', opts?: FlagOptions): FlagDef<number> =>
    def('duration', usage, parseDuration(dflt), opts),
  /** Repeatable: each occurrence appends one value. */
  list: (usage: string, opts?: FlagOptions): FlagDef<string[]> => def<string[]>('list', usage, [], opts),
  /** Repeatable `key<sep>value`; a later occurrence of the same key wins. */
  keyValue: (usage: string, separator = ':', opts?: FlagOptions): FlagDef<Record<string, string>> =>
    def<Record<string, string>>('keyValue', usage, {}, opts, { separator }),
  enum: <const V extends readonly string[]>(usage: string, values: V, dflt: V[number], opts?: FlagOptions): FlagDef<V[number]> =>
    def<V[number]>('enum', usage, dflt, opts, { choices: values }),
};

const fail = (message: string): WeftError => new WeftError('FLAG_INVALID', message);
// Go's %q; JSON quoting matches it for every printable string.
const q = (s: string): string => JSON.stringify(s);

type Entry = readonly [canonical: string, def: FlagDef<unknown>];

function indexSpec(spec: FlagSpec): Map<string, Entry> {
  const index = new Map<string, Entry>();
  for (const [name, d] of Object.entries(spec)) {
    for (const n of [name, ...d.aliases]) {
      // A clash is a bug in the command's declaration, not a user error.
      if (index.has(n)) throw new Error(`flag redefined: ${n}`);
      index.set(n, [name, d]);
    }
  }
  return index;
}

function fresh(d: FlagDef<unknown>): unknown {
  if (Array.isArray(d.initial)) return [...d.initial];
  if (d.kind === 'keyValue') return { ...(d.initial as Record<string, string>) };
  return d.initial;
}

export function parseFlags<S extends FlagSpec>(spec: S, argv: readonly string[]): ParsedFlags<S> {
  const index = indexSpec(spec);
  const values: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(spec)) values[name] = fresh(d);
  const set = new Set<string>();

  let i = 0;
  while (i < argv.length) {
    const arg = argv[i];
    if (arg.length < 2 || arg[0] !== '-') break;
    if (arg === '--') {
      i++;
      break;
    }
    let name = arg.slice(arg[1] === '-' ? 2 : 1);
    if (name === '' || name[0] === '-' || name[0] === '=') throw fail(`bad flag syntax: ${arg}`);
    i++;
    const eq = name.indexOf('=');
    const inline = eq > 0 ? name.slice(eq + 1) : undefined;
    if (eq > 0) name = name.slice(0, eq);

    const entry = index.get(name);
    if (!entry) {
      if (name === 'h' || name === 'help') throw new HelpRequested();
      throw fail(`flag provided but not defined: -${name}`);
    }
    const [canonical, d] = entry;
    if (d.kind === 'bool') {
      // A bool never consumes the next argument: `-recurse foo` means foo is an argument.
      const b = inline === undefined ? true : parseBool(inline);
      if (b === undefined) throw fail(`invalid boolean value ${q(inline ?? '')} for -${name}: parse error`);
      values[canonical] = b;
    } else {
      let raw = inline;
      if (raw === undefined) {
        if (i >= argv.length) throw fail(`flag needs an argument: -${name}`);
        raw = argv[i++];
      }
      try {
        values[canonical] = applyValue(d, values[canonical], raw);
      } catch (err) {
        if (!(err instanceof InvalidValue)) throw err;
        throw fail(`invalid value ${q(raw)} for flag -${name}: ${err.message}`);
      }
    }
    set.add(canonical);
  }
  return { flags: values as FlagValues<S>, args: argv.slice(i), set: set as Set<keyof S & string> };
}

class InvalidValue extends Error {}

function applyValue(d: FlagDef<unknown>, current: unknown, raw: string): unknown {
  switch (d.kind) {
    case 'int':
      return parseGoInt(raw, false);
    case 'uint':
      return parseGoInt(raw, true);
    case 'duration':
      try {
        return parseDuration(raw);
      } catch {
        throw new InvalidValue('parse error');
      }
    case 'list':
      return [...(current as string[]), raw];
    case 'keyValue': {
      const sep = d.separator ?? ':';
      const at = raw.indexOf(sep);
      if (at < 1) throw new InvalidValue(`expected key${sep}value`);
      const out = { ...(current as Record<string, string>) };
      // defineProperty so a key named "__proto__" stays an ordinary entry.
      Object.defineProperty(out, raw.slice(0, at), {
        value: raw.slice(at + sep.length),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return out;
    }
    case 'enum':
      if (!d.choices?.includes(raw)) throw new InvalidValue(`must be one of ${d.choices?.map(q).join(', ')}`);
      return raw;
    default:
      return raw;
  }
}

/** strconv.ParseBool. */
export function parseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

const DIGIT: Record<number, string> = { 2: '[01]', 8: '[0-7]', 10: '[0-9]', 16: '[0-9a-fA-F]' };
const PREFIX: Record<string, number> = { '0x': 16, '0o': 8, '0b': 2 };

/**
 * strconv.ParseInt/ParseUint with base 0 (0x, 0o, 0b, leading-0 octal, underscores after a
 * prefix). Values beyond 2^53 are "out of range" because they cannot round-trip a JS number.
 */
function parseGoInt(s: string, unsigned: boolean): number {
  let body = s;
  let negative = false;
  if (!unsigned && (body[0] === '+' || body[0] === '-')) {
    negative = body[0] === '-';
    body = body.slice(1);
  }
  let base = PREFIX[body.slice(0, 2).toLowerCase()] ?? 10;
  let digits = base === 10 ? body : body.slice(2);
  if (base === 10 && body.length > 1 && body[0] === '0') {
    base = 8;
    digits = body.slice(1);
  }
  const d = DIGIT[base];
  const shape = base === 10 ? new RegExp(`^${d}+$`) : new RegExp(`^_?${d}+(?:_${d}+)*$`);
  if (!shape.test(digits)) throw new InvalidValue('parse error');
  const clean = digits.replaceAll('_', '');
  const magnitude = BigInt(base === 10 ? clean : `0${{ 16: 'x', 8: 'o', 2: 'b' }[base]}${clean}`);
  if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidValue('value out of range');
  const n = Number(magnitude);
  return negative ? -n : n;
}

const TYPE_NAME: Record<FlagKind, string> = {
  bool: '',
  string: 'string',
  int: 'int',
  uint: 'uint',
  duration: 'duration',
  list: 'value',
  keyValue: 'value',
  enum: 'value',
};

/** flag.UnquoteUsage: a `backquoted` word in the usage names the value placeholder. */
function unquoteUsage(d: FlagDef<unknown>): { placeholder: string; text: string } {
  const m = /`([^`]*)`/.exec(d.usage);
  if (m) return { placeholder: m[1], text: d.usage.replace(m[0], m[1]) };
  return { placeholder: TYPE_NAME[d.kind], text: d.usage };
}

const LINE = 80;
const PAD = 5;

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(line);
  }
  return out;
}

/**
 * Consul-style flag help: sections ("HTTP API Options", then "Command Options"), each flag as
 * `  -name=<value>` with its usage wrapped at 80 columns and indented five spaces.
 */
export function formatUsage(spec: FlagSpec): string {
  const sections = new Map<string, string[]>();
  for (const d of Object.values(spec)) {
    if (!d.hidden && d.group !== undefined) sections.set(d.group, []);
  }
  sections.set('Command Options', []);
  const names = Object.keys(spec).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const d = spec[name];
    if (d.hidden) continue;
    const { placeholder, text } = unquoteUsage(d);
    const head = placeholder ? `  -${name}=<${placeholder}>` : `  -${name}`;
    const body = text.trim() ? wrap(text, LINE - PAD).map((l) => (l ? ' '.repeat(PAD) + l : '')) : [];
    sections.get(d.group ?? 'Command Options')!.push([head, ...body].join('\n'));
  }
  return [...sections]
    .filter(([, entries]) => entries.length > 0)
    .map(([title, entries]) => `${title}\n\n${entries.join('\n\n')}`)
    .join('\n\n');
}
