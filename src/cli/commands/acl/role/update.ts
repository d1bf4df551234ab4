import type { ACLRole } from '../../../../api/acl.js';
import type { ApiClient } from '../../../../api/index.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { writeNamed } from '../named.js';
import { outputFlags } from '../output.js';
import { failOn, withTarget } from '../target.js';
import { roleGrantFlags, roleGrants } from './grants.js';
import { roleKind } from './kind.js';

export const aclRoleUpdateCommand = defineCommand({
  name: 'acl role update',
  synopsis: 'Update an ACL role',
  help: `
    Updates a role. By default it will merge the role information with its
    current state so that you do not have to provide all parameters. This
    behavior can be disabled by passing -no-merge.

    Rename the role and add a set of policies:

        $ weft acl role update -id abcd -name "better-name" \\
                               -policy-name "policy-1" -policy-name "policy-2"

    Override all role attributes:

        $ weft acl role update -id abcd -name "better-name" -description "replication" \\
                               -policy-name "token-replication" -no-merge
  `,
  flags: {
    ...httpFlags,
    ...outputFlags,
    ...roleGrantFlags,
    id: flag.string('The ID of the role to update. It may be specified as a unique ID prefix but will error if the prefix matches multiple role IDs'),
    name: flag.string('The role name.'),
    description: flag.string('A description of the role'),
    'no-merge': flag.bool('Do not merge the current role information with what is provided to the command. Instead overwrite all fields with the exception of the role ID which is immutable.'),
  },
  async run({ flags, set, io }) {
    if (!flags.id) return failOn(io)('Cannot update a role without specifying the -id parameter');
    const resolve = (client: ApiClient) => roleKind.select(client, flags.id, '');
    return withTarget('role', flags, io, resolve, async (found) => {
      const { client, id, fail } = found;
      let body: Record<string, unknown>;
      try {
        const grants = await roleGrants(client, flags);
        if (flags['no-merge']) body = { ID: id, Name: flags.name, Description: flags.description, ...grants };
        else {
          const r = (await client.get<ACLRole>(`/v1/acl/role/${id}`)).body;
          // Given policies and identities add to the role's own, as Consul's merge does.
          const policies = [...(r.Policies ?? []), ...grants.Policies.filter((p) => !r.Policies?.some((x) => x.ID === p.ID || x.Name === p.Name))];
          const services = [...(r.ServiceIdentities ?? []).filter((s) => !grants.ServiceIdentities.some((g) => g.ServiceName === s.ServiceName)), ...grants.ServiceIdentities];
          const nodes = [...(r.NodeIdentities ?? []), ...grants.NodeIdentities.filter((n) => !r.NodeIdentities?.some((x) => x.NodeName === n.NodeName && x.Datacenter === n.Datacenter))];
          body = {
            ID: id,
            Name: set.has('name') ? flags.name : r.Name,
            Description: set.has('description') ? flags.description : r.Description,
            Policies: policies,
            ServiceIdentities: services,
            NodeIdentities: nodes,
          };
        }
      } catch (err) {
        return fail((err as Error).message);
      }
      return writeNamed(roleKind, found, body, flags);
    });
  },
});
