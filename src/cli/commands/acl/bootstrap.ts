import { readFileSync } from 'node:fs';
import type { ACLBootstrapToken } from '../../../api/acl.js';
import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { httpFlags } from '../../http-flags.js';
import { outputFlags } from './output.js';
import { formatToken } from './token/format.js';

export const aclBootstrapCommand = defineCommand({
  name: 'acl bootstrap',
  synopsis: 'Bootstrap Weft\'s ACL system',
  usage: '[SECRET_FILE]',
  help: `
    The bootstrap command will request Weft to generate a new token with
    unlimited privileges to use for management purposes and output its details.
    This can only be done once and afterwards bootstrapping will be disabled.
    If all tokens are lost and you need to bootstrap again, write the reset
    index the refusal names into <data_dir>/acl-bootstrap-reset.

    A file holding the secret (a UUID) to give the token may be passed as the
    only argument.

        $ weft acl bootstrap
  `,
  flags: { ...httpFlags, ...outputFlags },
  async run({ flags, args, io }) {
    const fail = (msg: string) => (io.stderr(`${msg}\n`), 1);
    if (args.length > 1) return fail(`Too many arguments (expected 0 or 1, got ${args.length})`);
    let body: { BootstrapSecret: string } | undefined;
    if (args.length === 1) {
      try {
        body = { BootstrapSecret: readFileSync(args[0], 'utf8').trim() };
      } catch (err) {
        return fail(`Error reading the secret file: ${(err as Error).message}`);
      }
    }
    const client = apiClient(flags, io);
    try {
      let token: ACLBootstrapToken;
      try {
        token = (await client.put<ACLBootstrapToken>('/v1/acl/bootstrap', { body })).body;
      } catch (err) {
        return fail(`Failed ACL bootstrapping: ${(err as Error).message}`);
      }
      io.stdout(formatToken(token, flags.format, flags.meta));
      return 0;
    } finally {
      client.close();
    }
  },
});
