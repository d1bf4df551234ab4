import type { Command } from '../../command.js';
import { defineGroup } from '../../command.js';
import { servicesDeregisterCommand } from './deregister.js';
import { servicesRegisterCommand } from './register.js';

const servicesGroup = defineGroup({
  name: 'services',
  synopsis: 'Interact with services',
  help: `
    Registers and deregisters services with the local agent, from definition files (the
    agent's own config format, JSON or HCL) or from flags.

      $ weft services register web.json
      $ weft services register -name=web -port=8080
      $ weft services deregister -id=web
  `,
});

export const servicesCommands: Command[] = [servicesGroup, servicesRegisterCommand, servicesDeregisterCommand];
