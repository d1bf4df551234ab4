import type { ACLLink, ACLNodeIdentity, ACLServiceIdentity, ACLToken } from '../../../../api/acl.js';
import type { ApiClient } from '../../../../api/index.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { parseNodeIdentities, parseServiceIdentities } from '../identities.js';
import { policyIdFromPartial, roleIdFromPartial, tokenAccessorFromPartial } from '../lookup.js';
import { outputFlags } from '../output.js';
import { failOn, withTarget } from '../target.js';
import { grantFlags } from './create.js';
import { formatToken } from './format.js';

type Link = Partial<ACLLink>;

/** -policy-* replace the token's policies, -append-policy-* add to them (roles alike); both at once is an error. */
async function links(client: ApiClient, current: Link[] | undefined, names: string[], ids: string[], appendNames: string[], appendIds: string[], resolve: (c: ApiClient, id: string) => Promise<string>): Promise<Link[]> {
  const replacing = names.length > 0 || ids.length > 0;
  const out: Link[] = replacing ? [] : [...(current ?? [])];
  for (const Name of replacing ? names : appendNames) out.push({ Name });
  for (const id of replacing ? ids : appendIds) out.push({ ID: await resolve(client, id) });
  return out;
}

export const aclTokenUpdateCommand = defineCommand({
  name: 'acl token update',
  synopsis: 'Update an ACL token',
  help: `
    This command will update a token. Some parts such as marking the token local
    cannot be changed. Unlike Consul, a token keeps its service and node
    identities unless -service-identity or -node-identity is given.

    Update a token description and keep its policies:

        $ weft acl token update -accessor-id abcd -description "replication"

    Update all editable fields of the token:

        $ weft acl token update -accessor-id abcd \\
                                -description "replication" \\
                                -policy-name "token-replication" \\
                                -role-name "db-updater"
  `,
  flags: {
    ...httpFlags,
    ...outputFlags,
    ...grantFlags,
    'accessor-id': flag.string('The Accessor ID of the token to update. It may be specified as a unique ID prefix but will error if the prefix matches multiple token Accessor IDs'),
    id: flag.string('DEPRECATED. Use -accessor-id instead.', '', { hidden: true }),
    description: flag.string('A description of the token'),
    'append-policy-id': flag.list('ID of a policy to add to this token. The token retains existing policies. May be specified multiple times'),
    'append-policy-name': flag.list('Name of a policy to add to this token. The token retains existing policies. May be specified multiple times'),
    'append-role-id': flag.list('ID of a role to add to this token. The token retains existing roles. May be specified multiple times'),
    'append-role-name': flag.list('Name of a role to add to this token. The token retains existing roles. May be specified multiple times'),
    'append-service-identity': flag.list('Name of a service identity to add to this token. The token retains existing service identities. Format is the SERVICENAME or SERVICENAME:DATACENTER1,DATACENTER2,...'),
    'append-node-identity': flag.list('Name of a node identity to add to this token. The token retains existing node identities. Format is NODENAME:DATACENTER'),
    'merge-policies': flag.bool('DEPRECATED. Use -append-policy-id or -append-policy-name instead.', false, { hidden: true }),
    'merge-roles': flag.bool('DEPRECATED. Use -append-role-id or -append-role-name instead.', false, { hidden: true }),
    'merge-service-identities': flag.bool('DEPRECATED. Use -append-service-identity instead.', false, { hidden: true }),
    'merge-node-identities': flag.bool('DEPRECATED. Use -append-node-identity instead.', false, { hidden: true }),
  },
  async run({ flags, io }) {
    const fail = failOn(io);
    const partial = flags['accessor-id'] || flags.id;
    if (!partial) return fail('Cannot update a token without specifying the -accessor-id parameter');
    const both = (a: string[], b: string[]) => a.length > 0 && b.length > 0;
    if (both([...flags['policy-id'], ...flags['policy-name']], [...flags['append-policy-id'], ...flags['append-policy-name']])) {
      return fail('Cannot combine the use of policy-id/policy-name flags with append- variants. To set or overwrite existing policies, use -policy-id or -policy-name. To append to existing policies, use -append-policy-id or -append-policy-name.');
    }
    if (both([...flags['role-id'], ...flags['role-name']], [...flags['append-role-id'], ...flags['append-role-name']])) {
      return fail('Cannot combine the use of role-id/role-name flags with append- variants. To set or overwrite existing roles, use -role-id or -role-name. To append to existing roles, use -append-role-id or -append-role-name.');
    }
    if (both(flags['service-identity'], flags['append-service-identity'])) return fail('Cannot combine the use of service-identity flag with append-service-identity.');
    if (both(flags['node-identity'], flags['append-node-identity'])) return fail('Cannot combine the use of node-identity flag with append-node-identity.');
    const resolve = (client: ApiClient) => tokenAccessorFromPartial(client, partial);
    return withTarget('token', flags, io, resolve, async ({ client, id }) => {
      let t: ACLToken;
      try {
        t = (await client.get<ACLToken>(`/v1/acl/token/${id}`)).body;
      } catch (err) {
        return fail(`Error when retrieving current token: ${(err as Error).message}`);
      }
      // -merge-* are the old spellings of -append-*.
      const appendPolicies = flags['merge-policies'] ? [flags['policy-name'], flags['policy-id']] : [flags['append-policy-name'], flags['append-policy-id']];
      const appendRoles = flags['merge-roles'] ? [flags['role-name'], flags['role-id']] : [flags['append-role-name'], flags['append-role-id']];
      let services: ACLServiceIdentity[] = t.ServiceIdentities ?? [];
      let nodes: ACLNodeIdentity[] = t.NodeIdentities ?? [];
      let policies: Link[];
      let roles: Link[];
      try {
        policies = flags['merge-policies']
          ? await links(client, t.Policies, [], [], appendPolicies[0], appendPolicies[1], policyIdFromPartial)
          : await links(client, t.Policies, flags['policy-name'], flags['policy-id'], appendPolicies[0], appendPolicies[1], policyIdFromPartial);
        roles = flags['merge-roles']
          ? await links(client, t.Roles, [], [], appendRoles[0], appendRoles[1], roleIdFromPartial)
          : await links(client, t.Roles, flags['role-name'], flags['role-id'], appendRoles[0], appendRoles[1], roleIdFromPartial);
        const appendServices = flags['merge-service-identities'] ? flags['service-identity'] : flags['append-service-identity'];
        if (appendServices.length) {
          for (const s of parseServiceIdentities(appendServices)) services = [...services.filter((x) => x.ServiceName !== s.ServiceName), s];
        } else if (flags['service-identity'].length) services = parseServiceIdentities(flags['service-identity']);
        const appendNodes = flags['merge-node-identities'] ? flags['node-identity'] : flags['append-node-identity'];
        if (appendNodes.length) nodes = [...nodes, ...parseNodeIdentities(appendNodes)];
        else if (flags['node-identity'].length) nodes = parseNodeIdentities(flags['node-identity']);
      } catch (err) {
        return fail((err as Error).message);
      }
      const body = {
        AccessorID: t.AccessorID,
        Description: flags.description || t.Description,
        Policies: policies,
        Roles: roles,
        ServiceIdentities: services,
        NodeIdentities: nodes,
        Local: t.Local,
        ExpirationTime: t.ExpirationTime,
      };
      let updated: ACLToken;
      try {
        updated = (await client.put<ACLToken>(`/v1/acl/token/${id}`, { body })).body;
      } catch (err) {
        return fail(`Failed to update token ${id}: ${(err as Error).message}`);
      }
      io.stdout(formatToken(updated, flags.format, flags.meta));
      return 0;
    });
  },
});
