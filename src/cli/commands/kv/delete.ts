import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';
import { stripLeadingSlash } from './args.js';
import { deletePair } from './kv-api.js';

export const kvDeleteCommand = defineCommand({
  name: 'kv delete',
  synopsis: 'Removes data from the KV store',
  usage: 'KEY_OR_PREFIX',
  help: `
    Removes the value from Weft's key-value store at the given path. If no key
    exists at the path, no action is taken.

        $ weft kv delete foo

    To delete all keys which start with "foo", specify the -recurse option:

        $ weft kv delete -recurse foo

    This will delete the keys named "foo", "food", and "foo/bar/zip" if they
    existed.
  `,
  flags: {
    ...httpFlags,
    cas: flag.bool('Perform a Check-And-Set operation. Specifying this value also requires the -modify-index flag to be set. The default value is false.'),
    'modify-index': flag.uint('Unsigned integer representing the ModifyIndex of the key. This is used in combination with the -cas flag.'),
    recurse: flag.bool('Recursively delete all keys with the path. The default value is false.'),
  },
  async run({ flags, args, io }) {
    if (args.length > 1) {
      io.stderr(`Too many arguments (expected 1, got ${args.length})\n`);
      return 1;
    }
    const key = stripLeadingSlash(args[0] ?? '');
    const fail = (msg: string) => (io.stderr(`${msg}\n`), 1);
    if (key === '' && !flags.recurse) return fail('Error! Missing KEY argument');
    if (flags.cas && flags['modify-index'] === 0) return fail('Cannot delete a key that does not exist. Provide a -modify-index greater than than 0.');
    if (flags['modify-index'] !== 0 && !flags.cas) return fail('Cannot specify -modify-index without -cas!');
    if (flags.recurse && flags.cas) return fail('Cannot specify both -cas and -recurse!');
    const client = apiClient(flags, io);
    try {
      if (flags.recurse) {
        try {
          await deletePair(client, key, { recurse: true });
        } catch (err) {
          return fail(`Error! Did not delete prefix ${key}: ${(err as Error).message}`);
        }
        io.stdout(`Success! Deleted keys with prefix: ${key}\n`);
        return 0;
      }
      if (flags.cas) {
        let ok: boolean;
        try {
          ok = await deletePair(client, key, { cas: flags['modify-index'] });
        } catch (err) {
          return fail(`Error! Did not delete key ${key}: ${(err as Error).message}`);
        }
        if (!ok) return fail(`Error! Did not delete key ${key}: CAS failed`);
        io.stdout(`Success! Deleted key: ${key}\n`);
        return 0;
      }
      try {
        await deletePair(client, key);
      } catch (err) {
        return fail(`Error deleting key ${key}: ${(err as Error).message}`);
      }
      io.stdout(`Success! Deleted key: ${key}\n`);
      return 0;
    } finally {
      client.close();
    }
  },
});
