import type { Command } from '../../command.js';
import { defineGroup } from '../../command.js';
import { catalogDatacentersCommand } from './datacenters.js';
import { catalogNodesCommand } from './nodes.js';
import { catalogServicesCommand } from './services.js';

const catalogGroup = defineGroup({
  name: 'catalog',
  synopsis: 'Interact with the catalog',
  help: `
    Lists the datacenters, nodes and services of the catalog.

      $ weft catalog datacenters
      $ weft catalog nodes -service=web
      $ weft catalog services -tags
  `,
});

export const catalogCommands: Command[] = [catalogGroup, catalogDatacentersCommand, catalogNodesCommand, catalogServicesCommand];
