import { CONSUL_API_VERSION, PROTOCOL, VERSION } from '../../version.js';
import { defineCommand } from '../command.js';

export const versionCommand = defineCommand({
  name: 'version',
  synopsis: 'Prints the Weft version',
  help: 'Prints the version of this Weft binary and the Consul API version it speaks.',
  flags: {},
  async run({ io }) {
    io.stdout(`Weft v${VERSION}\n`);
    io.stdout(`Consul API compatibility: v${CONSUL_API_VERSION}\n`);
    io.stdout(`Protocol ${PROTOCOL.cur} spoken by default, understands ${PROTOCOL.min} to ${PROTOCOL.max}\n`);
    io.stdout(`Runtime: Node.js ${process.version}\n`);
    return 0;
  },
});
