import type { ACLPolicy } from '../../../../api/acl.js';
import { apiClient } from '../../../client.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { loadDataSource } from '../data-source.js';
import { outputFlags } from '../output.js';
import { formatPolicy } from './format.js';

export const aclPolicyCreateCommand = defineCommand({
  name: 'acl policy create',
  synopsis: 'Create an ACL policy',
  help: `
    The -rules flag gives the rules, in HCL or JSON: a value starting with '@'
    is a file to read, '-' reads stdin, anything else is the rules themselves.

    Create a new policy that is valid in all datacenters:

        $ weft acl policy create -name "new-policy" \\
                                 -description "This is an example policy" \\
                                 -rules @rules.hcl

    Create a new policy that is valid only in some datacenters:

        $ weft acl policy create -name "replication" \\
                                 -description "Token replication" \\
                                 -valid-datacenter "dc1" \\
                                 -valid-datacenter "dc2" \\
                                 -rules 'acl = "read"'
  `,
  flags: {
    ...httpFlags,
    ...outputFlags,
    name: flag.string('The new policy\'s name. This flag is required.'),
    description: flag.string('A description of the policy'),
    'valid-datacenter': flag.list('Datacenter that the policy should be valid within. This flag may be specified multiple times'),
    rules: flag.string("The policy rules. May be prefixed with '@' to indicate that the value is a file path to load the rules from. '-' may also be given to indicate that the rules are available on stdin"),
  },
  async run({ flags, io }) {
    const fail = (msg: string) => (io.stderr(`${msg}\n`), 1);
    if (!flags.name) return fail("Missing require '-name' flag");
    let rules: string;
    try {
      rules = await loadDataSource(flags.rules, io.stdin);
    } catch (err) {
      return fail(`Error loading data source: ${(err as Error).message}`);
    }
    const client = apiClient(flags, io);
    try {
      let policy: ACLPolicy;
      try {
        const body = { Name: flags.name, Description: flags.description, Datacenters: flags['valid-datacenter'], Rules: rules };
        policy = (await client.put<ACLPolicy>('/v1/acl/policy', { body })).body;
      } catch (err) {
        return fail(`Failed to create new policy: ${(err as Error).message}`);
      }
      io.stdout(formatPolicy(policy, flags.format, flags.meta));
      return 0;
    } finally {
      client.close();
    }
  },
});
