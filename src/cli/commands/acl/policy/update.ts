import type { ACLPolicy } from '../../../../api/acl.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { loadDataSource } from '../data-source.js';
import { withNamed, writeNamed } from '../named.js';
import { outputFlags } from '../output.js';
import { policyKind } from './kind.js';

export const aclPolicyUpdateCommand = defineCommand({
  name: 'acl policy update',
  synopsis: 'Update an ACL policy',
  help: `
    Updates a policy. By default it will merge the policy information with its
    current state so that you do not have to provide all parameters. This
    behavior can be disabled by passing -no-merge.

    Rename the policy:

        $ weft acl policy update -id abcd -name "better-name"

    Override all policy attributes:

        $ weft acl policy update -id abcd -name "better-name" -rules @rules.hcl -no-merge
  `,
  flags: {
    ...httpFlags,
    ...outputFlags,
    id: flag.string('The ID of the policy to update. It may be specified as a unique ID prefix but will error if the prefix matches multiple policy IDs'),
    name: flag.string('The policies name.'),
    description: flag.string('A description of the policy'),
    'valid-datacenter': flag.list('Datacenter that the policy should be valid within. This flag may be specified multiple times'),
    rules: flag.string("The policy rules. May be prefixed with '@' to indicate that the value is a file path to load the rules from. '-' may also be given to indicate that the rules are available on stdin"),
    'no-merge': flag.bool('Do not merge the current policy information with what is provided to the command. Instead overwrite all fields with the exception of the policy ID which is immutable.'),
  },
  run: ({ flags, set, io }) =>
    withNamed(policyKind, flags, io, async (found) => {
      const { client, id, fail } = found;
      let rules: string;
      try {
        rules = await loadDataSource(flags.rules, io.stdin);
      } catch (err) {
        return fail(`Error loading data source: ${(err as Error).message}`);
      }
      let body: Omit<ACLPolicy, 'Hash' | 'CreateIndex' | 'ModifyIndex'>;
      if (flags['no-merge']) body = { ID: id, Name: flags.name, Description: flags.description, Datacenters: flags['valid-datacenter'], Rules: rules };
      else {
        let p: ACLPolicy;
        try {
          p = (await client.get<ACLPolicy>(`/v1/acl/policy/${id}`)).body;
        } catch (err) {
          return fail(`Error reading policy ${JSON.stringify(id)}: ${(err as Error).message}`);
        }
        body = {
          ID: id,
          Name: set.has('name') ? flags.name : p.Name,
          Description: set.has('description') ? flags.description : p.Description,
          Rules: set.has('rules') ? rules : p.Rules,
          Datacenters: flags['valid-datacenter'].length ? flags['valid-datacenter'] : p.Datacenters,
        };
      }
      return writeNamed(policyKind, found, body, flags);
    }),
});
