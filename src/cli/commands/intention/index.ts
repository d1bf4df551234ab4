import type { Command } from '../../command.js';
import { defineGroup } from '../../command.js';
import { intentionCheckCommand } from './check.js';
import { intentionCreateCommand } from './create.js';
import { intentionDeleteCommand } from './delete.js';
import { intentionGetCommand } from './get.js';
import { intentionListCommand } from './list.js';
import { intentionMatchCommand } from './match.js';

const intentionGroup = defineGroup({
  name: 'intention',
  synopsis: 'Interact with Connect service intentions',
  help: `
    Manage and check intentions, which decide which services may connect to
    which. Intentions are stored as service-intentions config entries, one per
    destination; a source or destination of "*" matches every service.

        $ weft intention create -deny web '*'
        $ weft intention create -allow web db
        $ weft intention check web db
        $ weft intention match db
        $ weft intention delete web db
  `,
});

export const intentionCommands: Command[] = [
  intentionGroup,
  intentionCheckCommand,
  intentionCreateCommand,
  intentionDeleteCommand,
  intentionGetCommand,
  intentionListCommand,
  intentionMatchCommand,
];
