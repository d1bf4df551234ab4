import type { Command } from '../../command.js';
import { defineGroup } from '../../command.js';
import { configDeleteCommand } from './delete.js';
import { configListCommand } from './list.js';
import { configReadCommand } from './read.js';
import { configWriteCommand } from './write.js';

const configGroup = defineGroup({
  name: 'config',
  synopsis: 'Interact with centralized config entries',
  help: `
    Creates, reads, lists and deletes the centralized config entries that
    configure the service mesh: proxy-defaults, service-defaults,
    service-router, service-splitter, service-resolver and service-intentions.

        $ weft config write web-router.hcl
        $ weft config read -kind service-router -name web
        $ weft config list -kind service-resolver
        $ weft config delete -kind service-router -name web
  `,
});

export const configCommands: Command[] = [configGroup, configDeleteCommand, configListCommand, configReadCommand, configWriteCommand];
