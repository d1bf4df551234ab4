import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';
import { EntryInputError, loadSource, parseEntry } from './entry-source.js';
import { entryPath } from './read.js';

/** Consul's argument rules: either -filename, or both -kind and -name; -cas and -modify-index together. */
function argsError(f: { filename: string; kind: string; name: string; cas: boolean; 'modify-index': number }): string | null {
  const given = [f.filename, f.kind, f.name].filter(Boolean).length;
  if (given === 0) return 'Must specify the -kind or -filename parameter';
  if (f.filename && given > 1) return "filename can't be used with kind or name";
  if (!f.filename && !f.kind) return 'Must specify the -kind parameter';
  if (!f.filename && !f.name) return 'Must specify the -name parameter';
  if (f.cas && f['modify-index'] === 0) return 'Must specify a -modify-index greater than 0 with -cas';
  if (f['modify-index'] !== 0 && !f.cas) return 'Cannot specify -modify-index without -cas';
  return null;
}

export const configDeleteCommand = defineCommand({
  name: 'config delete',
  synopsis: 'Delete a centralized config entry',
  usage: '([-kind <config kind> -name <config name>] | [-filename FILENAME])',
  help: `
    Deletes the configuration entry specified by the kind and name, or by the
    kind and name in the file it was written from.

        $ weft config delete -kind service-defaults -name web
        $ weft config delete -filename service-defaults-web.hcl

    A delete that would leave another entry's discovery chain invalid (the
    service-defaults that makes a routed service speak HTTP, a resolver whose
    subset a route uses) is refused with the reason.
  `,
  flags: {
    ...httpFlags,
    filename: flag.string('The filename of the config entry to delete'),
    kind: flag.string('The kind of configuration to delete.'),
    name: flag.string('The name of configuration to delete.'),
    cas: flag.bool('Perform a Check-And-Set operation. Specifying this value also requires the -modify-index flag to be set. The default value is false.'),
    'modify-index': flag.uint('Unsigned integer representing the ModifyIndex of the config entry. This is used in combination with the -cas flag.'),
  },
  async run({ flags, io }) {
    const problem = argsError(flags);
    if (problem) {
      io.stderr(`${problem}\n`);
      return 1;
    }
    let { kind, name } = flags;
    if (flags.filename) {
      try {
        ({ kind, name } = await parseEntry(await loadSource(flags.filename, io), flags.filename));
      } catch (err) {
        if (!(err instanceof EntryInputError)) throw err;
        io.stderr(`${err.message}\n`);
        return 1;
      }
    }
    const client = apiClient(flags, io);
    let deleted: boolean;
    try {
      const res = await client.delete<unknown>(entryPath(kind, name), { query: flags.cas ? { cas: flags['modify-index'] } : {} });
      deleted = flags.cas ? res.body === true : true;
    } catch (err) {
      io.stderr(`Error deleting config entry ${kind}/${name}: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    if (!deleted) {
      io.stderr(`Config entry not deleted: ${kind}/${name}\n`);
      return 1;
    }
    io.stdout(`Config entry deleted: ${kind}/${name}\n`);
    return 0;
  },
});
