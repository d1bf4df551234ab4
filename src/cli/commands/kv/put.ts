import { parseUint64 } from '../../../lib/uint64-json.js';
import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';
import { KvUsageError, dataArg } from './args.js';
import { putPair } from './kv-api.js';

export const kvPutCommand = defineCommand({
  name: 'kv put',
  synopsis: 'Sets or updates data in the KV store',
  usage: 'KEY [DATA]',
  help: `
    Writes the data to the given path in the key-value store. The data can be of
    any type.

        $ weft kv put config/redis/maxconns 5

    The data can also be consumed from a file on disk by prefixing with the "@"
    symbol, or read from stdin using the "-" symbol:

        $ weft kv put config/program/license @license.lic
        $ echo "abcd1234" | weft kv put config/program/license -

    The DATA argument itself is optional. If omitted, this will create an empty
    key-value pair at the specified path. If the -base64 flag is specified, the
    data will be treated as base 64 encoded.

    To perform a Check-And-Set operation, specify the -cas flag with the
    appropriate -modify-index flag corresponding to the key you want to perform
    the CAS operation on:

        $ weft kv put -cas -modify-index=844 config/redis/maxconns 5
  `,
  flags: {
    ...httpFlags,
    acquire: flag.bool(
      'Obtain a lock on the key. If the key does not exist, this operation will create the key and obtain the lock. The session must already exist and be specified via the -session flag. The default value is false.',
    ),
    base64: flag.bool('Treat the data as base 64 encoded. The default value is false.'),
    cas: flag.bool('Perform a Check-And-Set operation. Specifying this value also requires the -modify-index flag to be set. The default value is false.'),
    flags: flag.string(
      'Unsigned integer value to assign to this key-value pair. This value is not read by Weft, so clients can use this value however makes sense for their use case. The default value is 0 (no flags).',
      '0',
    ),
    'modify-index': flag.uint('Unsigned integer representing the ModifyIndex of the key. This is used in combination with the -cas flag.'),
    release: flag.bool(
      'Forfeit the lock on the key at the given path. This requires the -session flag to be set. The key must be held by the session in order to be unlocked. The default value is false.',
    ),
    session: flag.string(
      'User-defined identifer for this session as a string. This is commonly used with the -acquire and -release operations to build robust locking, but it can be set on any key. The default value is empty (no session).',
    ),
  },
  async run({ flags, args, io }) {
    const kvFlags = parseUint64(flags.flags);
    if (kvFlags === undefined) {
      io.stderr(`invalid value "${flags.flags}" for flag -flags: parse error\n`);
      return 1;
    }
    if (args.length === 0) {
      io.stderr('Error! Missing KEY argument\n');
      return 1;
    }
    if (args.length > 2) {
      io.stderr(`Error! Too many arguments (expected 1 or 2, got ${args.length})\n`);
      return 1;
    }
    const key = args[0];
    let data: Buffer;
    try {
      data = args[1] ? await dataArg(args[1], io) : Buffer.alloc(0);
    } catch (err) {
      if (!(err instanceof KvUsageError)) throw err;
      io.stderr(`Error! ${err.message}\n`);
      return 1;
    }
    if (flags.base64) {
      const text = data.toString('utf8').trim();
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
        io.stderr('Error! Cannot base 64 decode data: illegal base64 data\n');
        return 1;
      }
      data = Buffer.from(text, 'base64');
    }
    if ((flags.release || flags.acquire) && !flags.session) {
      io.stderr('Error! Missing -session (required with -acquire and -release)\n');
      return 1;
    }
    if (flags.cas && flags['modify-index'] === 0) {
      io.stderr('Must specify -modify-index with -cas!\n');
      return 1;
    }
    if (key.startsWith('/')) {
      io.stderr(`Error! Failed writing data: Invalid key. Key must not begin with a '/': ${key}\n`);
      return 1;
    }
    const client = apiClient(flags, io);
    try {
      if (flags.cas) {
        const ok = await putPair(client, key, data, { flags: kvFlags, cas: flags['modify-index'] }).catch((err: Error) => {
          throw new KvUsageError(`Error! Did not write to ${key}: ${err.message}`);
        });
        if (!ok) throw new KvUsageError(`Error! Did not write to ${key}: CAS failed`);
        io.stdout(`Success! Data written to: ${key}\n`);
      } else if (flags.acquire) {
        const ok = await putPair(client, key, data, { flags: kvFlags, acquire: flags.session }).catch((err: Error) => {
          throw new KvUsageError(`Error! Failed writing data: ${err.message}`);
        });
        if (!ok) throw new KvUsageError('Error! Did not acquire lock');
        io.stdout(`Success! Lock acquired on: ${key}\n`);
      } else if (flags.release) {
        const ok = await putPair(client, key, data, { flags: kvFlags, release: flags.session }).catch(() => {
          throw new KvUsageError(`Error! Failed writing data: ${key}`);
        });
        if (!ok) throw new KvUsageError('Error! Did not release lock');
        io.stdout(`Success! Lock released on: ${key}\n`);
      } else {
        await putPair(client, key, data, { flags: kvFlags }).catch((err: Error) => {
          throw new KvUsageError(`Error! Failed writing data: ${err.message}`);
        });
        io.stdout(`Success! Data written to: ${key}\n`);
      }
      return 0;
    } catch (err) {
      if (!(err instanceof KvUsageError)) throw err;
      io.stderr(`${err.message}\n`);
      return 1;
    } finally {
      client.close();
    }
  },
});
