import type { Command } from '../../command.js';
import { defineGroup } from '../../command.js';
import { caGetConfigCommand } from './get-config.js';
import { caSetConfigCommand } from './set-config.js';

/** The parent of every `weft connect ...` command (the proxy commands join it). */
const connectGroup = defineGroup({
  name: 'connect',
  synopsis: 'Interact with Connect service mesh functionality',
  help: `
    Interacts with Connect, the service mesh: its certificate authority and,
    with their own subcommands, the proxies.

        $ weft connect ca get-config
  `,
});

const caGroup = defineGroup({
  name: 'connect ca',
  synopsis: 'Interact with the Connect Certificate Authority (CA)',
  help: `
    Reads and changes the configuration of the Connect certificate authority.

        $ weft connect ca get-config
        $ weft connect ca set-config -config-file ca.json
  `,
});

export const connectCaCommands: Command[] = [connectGroup, caGroup, caGetConfigCommand, caSetConfigCommand];
