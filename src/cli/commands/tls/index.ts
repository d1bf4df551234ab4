import type { Command } from '../../command.js';
import { defineGroup } from '../../command.js';
import { tlsCaCreateCommand } from './ca-create.js';
import { tlsCertCreateCommand } from './cert-create.js';

const tlsGroup = defineGroup({
  name: 'tls',
  synopsis: 'Builtin helpers for creating CAs and certificates',
  help: `
    Creates a CA and the certificates agents and the CLI need for TLS.

        $ weft tls ca create
        $ weft tls cert create -server
        $ weft tls cert create -client
  `,
});

const caGroup = defineGroup({ name: 'tls ca', synopsis: 'Helpers for CAs', help: '\n    Creates a CA.\n\n        $ weft tls ca create\n' });
const certGroup = defineGroup({ name: 'tls cert', synopsis: 'Helpers for certificates', help: '\n    Creates certificates signed by a CA.\n\n        $ weft tls cert create -server\n' });

export const tlsCommands: Command[] = [tlsGroup, caGroup, tlsCaCreateCommand, certGroup, tlsCertCreateCommand];
