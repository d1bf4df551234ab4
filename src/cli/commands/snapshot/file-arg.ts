import type { CommandIO } from '../../command.js';

/** The one FILE argument the snapshot commands take; null (with Consul's message printed) otherwise. */
export function oneFileArg(args: string[], io: CommandIO): string | null {
  if (args.length === 0) {
    io.stderr('Missing FILE argument\n');
    return null;
  }
  if (args.length > 1) {
    io.stderr(`Too many arguments (expected 1, got ${args.length})\n`);
    return null;
  }
  return args[0];
}
