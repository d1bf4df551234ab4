import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { httpClientFlags } from '../../http-flags.js';

export const aclSetAgentTokenCommand = defineCommand({
  name: 'acl set-agent-token',
  synopsis: 'Assign tokens for the Weft agent',
  usage: 'TYPE TOKEN',
  help: `
    This command will set the corresponding token for the agent to use. If
    token persistence is not enabled, then tokens uploaded this way are not
    persisted and if the agent reloads then the tokens will need to be set
    again.

    Token Types:

        default                           The default token is the token that the agent will use for
                                          both internal agent operations and operations initiated by
                                          the HTTP and DNS interfaces when no specific token is provided.

        agent                             The token that the agent will use for internal agent operations.

        agent_recovery                    The token that the agent may use to call its own endpoints
                                          when the servers cannot be reached.

        replication                       The token that the servers will use to replicate ACL data.

        config_file_service_registration  The token used for services and checks defined in config files.

        dns                               The token the agent will use for DNS queries.

    Example:

        $ weft acl set-agent-token default c4d0f8df-3aba-4ab6-a7a0-35b760dc29a1
  `,
  flags: { ...httpClientFlags },
  async run({ flags, args, io }) {
    const fail = (msg: string) => (io.stderr(`${msg}\n`), 1);
    if (args.length !== 2) return fail('Missing TYPE and TOKEN arguments');
    const [kind, token] = args;
    const client = apiClient(flags, io);
    try {
      try {
        await client.put(`/v1/agent/token/${encodeURIComponent(kind)}`, { body: { Token: token } });
      } catch (err) {
        return fail(`Failed setting token: ${(err as Error).message}`);
      }
      io.stdout(`ACL token ${JSON.stringify(kind)} set successfully\n`);
      return 0;
    } finally {
      client.close();
    }
  },
});
