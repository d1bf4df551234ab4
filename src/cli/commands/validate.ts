import { statSync } from 'node:fs';
import { formatProblem, loadConfig, type Format } from '../../config/index.js';
import { defineCommand } from '../command.js';
import { flag } from '../flags.js';

export const validateCommand = defineCommand({
  name: 'validate',
  synopsis: 'Validate config files/directories',
  usage: 'FILE_OR_DIRECTORY...',
  help: `Performs a thorough sanity test on Weft configuration files: every file is parsed
and checked the way the agent would, and every problem is listed with its file and key.`,
  flags: {
    'config-format': flag.string('Config files are in this format irrespective of their extension: "json" or "hcl".'),
    quiet: flag.bool('When given, a successful run produces no output.'),
  },
  async run({ flags, args, io }) {
    if (args.length === 0) {
      io.stderr('Must specify at least one config file or directory\n');
      return 1;
    }
    const files: string[] = [];
    const dirs: string[] = [];
    for (const path of args) {
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        // Let the loader report a missing path with its own wording.
      }
      (isDir ? dirs : files).push(path);
    }
    // A config that is valid for a server needs a data dir; validation should not insist on one.
    const result = await loadConfig({ files, dirs, format: (flags['config-format'] || undefined) as Format | undefined });
    const errors = result.errors.filter((e) => !/data_dir/.test(e.where) || !/required/.test(e.message));
    for (const w of result.warnings) io.stderr(`WARNING: ${formatProblem(w)}\n`);
    if (errors.length) {
      io.stderr(`Config validation failed:\n`);
      for (const e of errors) io.stderr(`  ${formatProblem(e)}\n`);
      return 1;
    }
    if (!flags.quiet) io.stdout('Configuration is valid!\n');
    return 0;
  },
});
