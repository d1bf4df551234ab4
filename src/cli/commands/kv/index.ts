import type { Command } from '../../command.js';
import { defineGroup } from '../../command.js';
import { kvDeleteCommand } from './delete.js';
import { kvExportCommand } from './export.js';
import { kvGetCommand } from './get.js';
import { kvImportCommand } from './import.js';
import { kvPutCommand } from './put.js';

const kvGroup = defineGroup({
  name: 'kv',
  synopsis: 'Interact with the key-value store',
  help: `
    Interacts with Weft's key-value store. Here are some simple examples; more
    detailed examples are in each subcommand's help.

        $ weft kv put redis/config/connections 5
        $ weft kv get redis/config/connections
        $ weft kv get -recurse redis/config
        $ weft kv delete redis/config/connections
  `,
});

export const kvCommands: Command[] = [kvGroup, kvDeleteCommand, kvExportCommand, kvGetCommand, kvImportCommand, kvPutCommand];
