import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isWeftError } from '../lib/errors.js';
import { flag, formatUsage, HelpRequested, isHelpRequested, parseFlags } from './flags.js';
import { httpFlags, normalizeAddress, resolveHttpOptions, type HttpFlagValues } from './http-flags.js';

const spec = {
  recurse: flag.bool('Recursively look at all keys prefixed with the given path.'),
  separator: flag.string('String to use as a separator for recursive lookups.', ''),
  'modify-index': flag.uint('Unsigned integer representing the ModifyIndex of the key.', 0),
  port: flag.int('Port.', 8500),
  tag: flag.list('Tag to filter on (repeatable).'),
  wait: flag.duration('Wait time.', '5m'),
  'node-meta': flag.keyValue('Metadata as key:value (repeatable).', ':'),
  format: flag.enum('Output format.', ['pretty', 'json'], 'pretty'),
  'retry-join': flag.list('Address to join.', { aliases: ['join'] }),
  secret: flag.string('Internal.', '', { hidden: true }),
} as const;

const parse = (...argv: string[]) => parseFlags(spec, argv);

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('parseFlags', () => {
  it('returns defaults and types the values', () => {
    const { flags, args, set } = parse();
    expect(flags).toEqual({
      recurse: false, separator: '', 'modify-index': 0, port: 8500, tag: [], wait: 300_000,
      'node-meta': {}, format: 'pretty', 'retry-join': [], secret: '',
    });
    expect(args).toEqual([]);
    expect(set.size).toBe(0);
    expectTypeOf(flags.recurse).toEqualTypeOf<boolean>();
    expectTypeOf(flags.tag).toEqualTypeOf<string[]>();
    expectTypeOf(flags['node-meta']).toEqualTypeOf<Record<string, string>>();
    expectTypeOf(flags.format).toEqualTypeOf<'pretty' | 'json'>();
  });

  it.each([
    [['-separator', '/']],
    [['--separator', '/']],
    [['-separator=/']],
    [['--separator=/']],
  ])('accepts the form %j', (argv) => {
    const { flags, set } = parseFlags(spec, argv);
    expect(flags.separator).toBe('/');
    expect([...set]).toEqual(['separator']);
  });

  it('takes the next argument as the value even when it looks like a flag', () => {
    expect(parse('-separator', '-x').flags.separator).toBe('-x');
    expect(parse('-separator=').flags.separator).toBe('');
    expect(parse('-separator=a=b').flags.separator).toBe('a=b');
  });

  it('never lets a bool consume the next argument', () => {
    const r = parse('-recurse', 'false');
    expect(r.flags.recurse).toBe(true);
    expect(r.args).toEqual(['false']);
  });

  it.each([
    ['-recurse=false', false], ['-recurse=0', false], ['--recurse=F', false],
    ['-recurse=true', true], ['-recurse=1', true], ['-recurse=True', true],
  ])('parses %s', (arg, want) => {
    expect(parseFlags({ recurse: flag.bool('', true) }, [arg]).flags.recurse).toBe(want);
  });

  it('stops at the first non-flag argument', () => {
    const r = parse('-recurse', 'key', '-separator', '/');
    expect(r.args).toEqual(['key', '-separator', '/']);
    expect(r.flags.separator).toBe('');
  });

  it('consumes -- and keeps what follows', () => {
    expect(parse('-recurse', '--', '-separator').args).toEqual(['-separator']);
    expect(parse('--', '--').args).toEqual(['--']);
  });

  it('treats a lone - as an argument', () => {
    expect(parse('-recurse', '-', 'x').args).toEqual(['-', 'x']);
  });

  it('appends repeatable lists and starts fresh on each parse', () => {
    expect(parse('-tag', 'a', '-tag=b', '--tag', 'a').flags.tag).toEqual(['a', 'b', 'a']);
    expect(parse().flags.tag).toEqual([]);
  });

  it('collects key/value pairs, splitting on the first separator', () => {
    const { flags } = parse('-node-meta', 'rack:r1', '-node-meta=url:http://x', '-node-meta', 'rack:r2');
    expect(flags['node-meta']).toEqual({ rack: 'r2', url: 'http://x' });
    const custom = parseFlags({ kv: flag.keyValue('', '=') }, ['-kv', 'a=b=c']).flags.kv;
    expect(custom).toEqual({ a: 'b=c' });
    const proto = parse('-node-meta', '__proto__:x').flags['node-meta'];
    expect(Object.keys(proto)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  });

  it('parses Go durations into milliseconds', () => {
    expect(parse('-wait', '1m30s').flags.wait).toBe(90_000);
    expect(parse('-wait=250ms').flags.wait).toBe(250);
    expect(parse('-wait=0').flags.wait).toBe(0);
  });

  it('parses integers with Go base prefixes', () => {
    expect(parse('-port', '-1').flags.port).toBe(-1);
    expect(parse('-port=0x1F').flags.port).toBe(31);
    expect(parse('-port=010').flags.port).toBe(8);
    expect(parse('-port=0b1_01').flags.port).toBe(5);
    expect(parse('-modify-index', '42').flags['modify-index']).toBe(42);
  });

  it('maps aliases to the canonical name and records it in set', () => {
    const r = parse('-join', 'a', '-retry-join', 'b');
    expect(r.flags['retry-join']).toEqual(['a', 'b']);
    expect([...r.set]).toEqual(['retry-join']);
  });

  it('records only the flags given, even when given their default', () => {
    const r = parse('-recurse=false', '-port', '8500', 'x');
    expect(r.set).toEqual(new Set(['recurse', 'port']));
  });

  it('accepts hidden flags', () => {
    expect(parse('-secret', 's').flags.secret).toBe('s');
  });

  it.each([
    [['-x'], 'flag provided but not defined: -x'],
    [['--nope=1'], 'flag provided but not defined: -nope'],
    [['-separator'], 'flag needs an argument: -separator'],
    [['-port', 'abc'], 'invalid value "abc" for flag -port: parse error'],
    [['-port', '1.5'], 'invalid value "1.5" for flag -port: parse error'],
    [['-port', '9007199254740993'], 'invalid value "9007199254740993" for flag -port: value out of range'],
    [['-modify-index', '-1'], 'invalid value "-1" for flag -modify-index: parse error'],
    [['-wait', '5'], 'invalid value "5" for flag -wait: parse error'],
    [['-recurse=yes'], 'invalid boolean value "yes" for -recurse: parse error'],
    [['-node-meta', 'rack'], 'invalid value "rack" for flag -node-meta: expected key:value'],
    [['-format', 'xml'], 'invalid value "xml" for flag -format: must be one of "pretty", "json"'],
    [['---x'], 'bad flag syntax: ---x'],
    [['-=x'], 'bad flag syntax: -=x'],
  ])('rejects %j', (argv, message) => {
    const err = errorOf(() => parseFlags(spec, argv));
    expect(isWeftError(err, 'FLAG_INVALID')).toBe(true);
    expect(isHelpRequested(err)).toBe(false);
    expect(err.message).toBe(message);
  });

  it.each(['-h', '-help', '--help', '--h'])('signals help for %s', (arg) => {
    const err = errorOf(() => parse('-recurse', arg));
    expect(err).toBeInstanceOf(HelpRequested);
    expect(isWeftError(err, 'FLAG_INVALID')).toBe(true);
  });

  it('lets a command define its own -h', () => {
    expect(parseFlags({ h: flag.string('host') }, ['-h', 'x']).flags.h).toBe('x');
  });

  it('rejects a spec whose alias clashes with a name', () => {
    expect(() => parseFlags({ a: flag.bool(''), b: flag.bool('', false, { aliases: ['a'] }) }, [])).toThrow(/redefined: a/);
  });
});

describe('formatUsage', () => {
  it('sorts, hides, names placeholders and wraps', () => {
    const out = formatUsage({
      zeta: flag.bool('Last.'),
      alpha: flag.string('The `address` to use. ' + 'word '.repeat(20).trim()),
      hide: flag.bool('x', false, { hidden: true }),
      wait: flag.duration('Wait.'),
      tag: flag.list('Tags.'),
    });
    expect(out).toBe(
      [
        'Command Options',
        '',
        '  -alpha=<address>',
        '     The address to use. word word word word word word word word word word word',
        '     word word word word word word word word word',
        '',
        '  -tag=<value>',
        '     Tags.',
        '',
        '  -wait=<duration>',
        '     Wait.',
        '',
        '  -zeta',
        '     Last.',
      ].join('\n'),
    );
  });

  it('prints grouped flags first under their titles', () => {
    const out = formatUsage({ recurse: flag.bool('R.'), ...httpFlags });
    expect(out.startsWith('HTTP API Options\n\n  -ca-file=<string>')).toBe(true);
    expect(out).toContain('  -http-addr=<address>');
    expect(out.indexOf('Command Options\n\n  -recurse\n     R.')).toBeGreaterThan(out.indexOf('-tls-server-name'));
    expect(out.split('\n').every((l) => l.length <= 80)).toBe(true);
  });
});

// http-flags.ts tests live here because this task may not add files beyond its list.
describe('resolveHttpOptions', () => {
  const none = (): HttpFlagValues => parseFlags(httpFlags, []).flags;
  const given = (...argv: string[]): HttpFlagValues => parseFlags(httpFlags, argv).flags;

  it('defaults to plain HTTP on localhost', () => {
    expect(resolveHttpOptions(none(), {})).toEqual({ address: 'http://127.0.0.1:8500', stale: false });
  });

  it('prefers the flag, then WEFT_*, then CONSUL_*', () => {
    const env = { WEFT_HTTP_ADDR: 'weft:1', CONSUL_HTTP_ADDR: 'consul:2', WEFT_CACERT: 'w.pem', CONSUL_CACERT: 'c.pem' };
    expect(resolveHttpOptions(given('-http-addr', 'flag:3'), env).address).toBe('http://flag:3');
    expect(resolveHttpOptions(none(), env).address).toBe('http://weft:1');
    expect(resolveHttpOptions(none(), { CONSUL_HTTP_ADDR: 'consul:2' }).address).toBe('http://consul:2');
    expect(resolveHttpOptions(none(), env).tls).toEqual({ caFile: 'w.pem' });
    expect(resolveHttpOptions(given('-ca-file=f.pem'), env).tls).toEqual({ caFile: 'f.pem' });
  });

  it.each([
    ['host:8500', {}, 'http://host:8500'],
    ['http://host:8500/', {}, 'http://host:8500'],
    ['https://host:8501', {}, 'https://host:8501'],
    ['host:8501', { CONSUL_HTTP_SSL: 'true' }, 'https://host:8501'],
    ['http://host:8500', { CONSUL_HTTP_SSL: 'true' }, 'http://host:8500'],
    ['host:8500', { WEFT_HTTP_SSL: 'false', CONSUL_HTTP_SSL: 'true' }, 'http://host:8500'],
    ['unix:///var/run/weft.sock', {}, 'unix:///var/run/weft.sock'],
  ])('normalises %s with %j', (addr, env, want) => {
    expect(resolveHttpOptions(none(), { CONSUL_HTTP_ADDR: addr, ...env }).address).toBe(want);
  });

  it('rejects unknown schemes and bad SSL switches', () => {
    expect(() => normalizeAddress('ftp://x:1')).toThrow('Unknown protocol scheme: ftp');
    expect(() => resolveHttpOptions(none(), { CONSUL_HTTP_SSL: 'yes' })).toThrow(
      'invalid value "yes" for CONSUL_HTTP_SSL: parse error',
    );
  });

  it('reads and trims token files, which beat tokens at the same level', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-token-'));
    const file = join(dir, 'token');
    writeFileSync(file, '  from-file\n');
    expect(resolveHttpOptions(given('-token', 't', '-token-file', file), {}).token).toBe('from-file');
    expect(resolveHttpOptions(given('-token', 't'), { WEFT_HTTP_TOKEN_FILE: file }).token).toBe('t');
    expect(resolveHttpOptions(none(), { CONSUL_HTTP_TOKEN: 'c', CONSUL_HTTP_TOKEN_FILE: file }).token).toBe('from-file');
    expect(resolveHttpOptions(none(), { WEFT_HTTP_TOKEN: 'w', CONSUL_HTTP_TOKEN_FILE: file }).token).toBe('w');
    expect(() => resolveHttpOptions(given('-token-file', join(dir, 'missing')), {})).toThrow(/Error loading token file/);
  });

  it('passes datacenter, stale and TLS settings through', () => {
    const env = { CONSUL_CLIENT_CERT: 'c.crt', CONSUL_CLIENT_KEY: 'c.key', CONSUL_CAPATH: '/ca', CONSUL_HTTP_SSL_VERIFY: 'false' };
    const opts = resolveHttpOptions(given('-datacenter', 'dc2', '-stale', '-tls-server-name', 'server.dc2'), env);
    expect(opts).toEqual({
      address: 'http://127.0.0.1:8500',
      datacenter: 'dc2',
      stale: true,
      tls: { caPath: '/ca', certFile: 'c.crt', keyFile: 'c.key', serverName: 'server.dc2', insecureSkipVerify: true },
    });
  });
});
