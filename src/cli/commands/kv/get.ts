import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';
import { stripLeadingSlash } from './args.js';
import { getPair, listKeys, listPairs, valueBytes, type KVPair } from './kv-api.js';

/** consul's prettyKVPair: a tabwriter with padding 6, so labels fill 17 columns. */
export function prettyPair(p: KVPair, base64: boolean): string {
  const value = base64 ? (p.Value ?? '') : valueBytes(p).toString('utf8');
  const rows: [string, string][] = [
    ['CreateIndex', String(p.CreateIndex)],
    ['Flags', String(p.Flags)],
    ['Key', p.Key],
    ['LockIndex', String(p.LockIndex)],
    ['ModifyIndex', String(p.ModifyIndex)],
    ['Session', p.Session || '-'],
    ['Value', value],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 6;
  return rows.map(([label, v]) => label.padEnd(width) + v).join('\n');
}

export const kvGetCommand = defineCommand({
  name: 'kv get',
  synopsis: 'Retrieves or lists data from the KV store',
  usage: '[KEY_OR_PREFIX]',
  help: `
    Retrieves the value from Weft's key-value store at the given key name. If no
    key exists with that name, an error is returned. If a key exists with that
    name but has no data, nothing is returned. If the name or prefix is omitted,
    it defaults to "" which is the root of the key-value store.

        $ weft kv get foo
        $ weft kv get -detailed foo
        $ weft kv get -recurse foo
        $ weft kv get -keys -separator=/ foo/
  `,
  flags: {
    ...httpFlags,
    base64: flag.bool('Base64 encode the value. The default value is false.'),
    detailed: flag.bool(
      'Provide additional metadata about the key in addition to the value such as the ModifyIndex and any flags that may have been set on the key. The default value is false.',
    ),
    keys: flag.bool(
      'List keys which start with the given prefix, but not their values. This is especially useful if you only need the key names themselves. This option is commonly combined with the -separator option. The default value is false.',
    ),
    recurse: flag.bool('Recursively look at all keys prefixed with the given path. The default value is false.'),
    separator: flag.string(
      'String to use as a separator between keys. The default value is "/", but this option is only taken into account when paired with the -keys flag.',
      '/',
    ),
  },
  async run({ flags, args, io }) {
    if (args.length > 1) {
      io.stderr(`Too many arguments (expected 1, got ${args.length})\n`);
      return 1;
    }
    const key = stripLeadingSlash(args[0] ?? '');
    if (key === '' && !(flags.recurse || flags.keys)) {
      io.stderr('Error! Missing KEY argument\n');
      return 1;
    }
    const client = apiClient(flags, io);
    try {
      if (flags.keys) {
        for (const k of await listKeys(client, key, flags.separator)) io.stdout(`${k}\n`);
        return 0;
      }
      if (flags.recurse) {
        const { pairs } = await listPairs(client, key);
        pairs.forEach((p, i) => {
          if (flags.detailed) io.stdout(`${prettyPair(p, flags.base64)}\n${i < pairs.length - 1 ? '\n' : ''}`);
          else io.stdout(`${p.Key}:${flags.base64 ? (p.Value ?? '') : valueBytes(p).toString('utf8')}\n`);
        });
        return 0;
      }
      const { pair } = await getPair(client, key);
      if (!pair) {
        io.stderr(`Error! No key exists at: ${key}\n`);
        return 1;
      }
      if (flags.detailed) io.stdout(`${prettyPair(pair, flags.base64)}\n`);
      else io.stdout(`${flags.base64 ? (pair.Value ?? '') : valueBytes(pair).toString('utf8')}\n`);
      return 0;
    } catch (err) {
      io.stderr(`Error querying Weft agent: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
  },
});
