import type { ACLToken } from '../../../../api/acl.js';
import { apiClient } from '../../../client.js';
import { defineCommand } from '../../../command.js';
import { flag } from '../../../flags.js';
import { httpFlags } from '../../../http-flags.js';
import { parseNodeIdentities, parseServiceIdentities } from '../identities.js';
import { policyIdFromPartial, roleIdFromPartial } from '../lookup.js';
import { outputFlags } from '../output.js';
import { formatToken } from './format.js';

export const grantFlags = {
  'policy-id': flag.list('ID of a policy to use for this token. May be specified multiple times'),
  'policy-name': flag.list('Name of a policy to use for this token. May be specified multiple times'),
  'role-id': flag.list('ID of a role to use for this token. May be specified multiple times'),
  'role-name': flag.list('Name of a role to use for this token. May be specified multiple times'),
  'service-identity': flag.list('Name of a service identity to use for this token. May be specified multiple times. Format is the SERVICENAME or SERVICENAME:DATACENTER1,DATACENTER2,...'),
  'node-identity': flag.list('Name of a node identity to use for this token. May be specified multiple times. Format is NODENAME:DATACENTER'),
};

export const aclTokenCreateCommand = defineCommand({
  name: 'acl token create',
  synopsis: 'Create an ACL token',
  help: `
    When creating a new token policies may be linked using either the -policy-id
    or the -policy-name options. When specifying policies by IDs you may use a
    unique prefix of the UUID as a shortcut for specifying the entire UUID.

    Create a new token:

        $ weft acl token create -description "Replication token" \\
                                -policy-id b52fc3de-5 \\
                                -policy-name "acl-replication" \\
                                -role-name "db-updater" \\
                                -service-identity "web" \\
                                -service-identity "db:east,west"
  `,
  flags: {
    ...httpFlags,
    ...outputFlags,
    ...grantFlags,
    accessor: flag.string('Create the token with this Accessor ID. It must be a UUID. If not specified one will be auto-generated'),
    secret: flag.string('Create the token with this Secret ID. It must be a UUID. If not specified one will be auto-generated'),
    local: flag.bool('Create this as a datacenter local token'),
    description: flag.string('A description of the token'),
    'expires-ttl': flag.duration('Duration of time this token should be valid for'),
  },
  async run({ flags, io }) {
    const fail = (msg: string) => (io.stderr(`${msg}\n`), 1);
    const grants = ['policy-id', 'policy-name', 'role-id', 'role-name', 'service-identity', 'node-identity'] as const;
    if (grants.every((g) => flags[g].length === 0)) {
      return fail('Cannot create a token without specifying -policy-name, -policy-id, -role-name, -role-id, -service-identity, or -node-identity at least once');
    }
    const client = apiClient(flags, io);
    try {
      const token: Record<string, unknown> = { Description: flags.description, Local: flags.local, AccessorID: flags.accessor, SecretID: flags.secret };
      if (flags['expires-ttl'] > 0) token.ExpirationTTL = flags['expires-ttl'] * 1e6;
      try {
        token.ServiceIdentities = parseServiceIdentities(flags['service-identity']);
        token.NodeIdentities = parseNodeIdentities(flags['node-identity']);
      } catch (err) {
        return fail((err as Error).message);
      }
      const policies: { ID?: string; Name?: string }[] = flags['policy-name'].map((Name) => ({ Name }));
      for (const id of flags['policy-id']) {
        try {
          policies.push({ ID: await policyIdFromPartial(client, id) });
        } catch (err) {
          return fail(`Error resolving policy ID ${id}: ${(err as Error).message}`);
        }
      }
      const roles: { ID?: string; Name?: string }[] = flags['role-name'].map((Name) => ({ Name }));
      for (const id of flags['role-id']) {
        try {
          roles.push({ ID: await roleIdFromPartial(client, id) });
        } catch (err) {
          return fail(`Error resolving role ID ${id}: ${(err as Error).message}`);
        }
      }
      Object.assign(token, { Policies: policies, Roles: roles });
      let created: ACLToken;
      try {
        created = (await client.put<ACLToken>('/v1/acl/token', { body: token })).body;
      } catch (err) {
        return fail(`Failed to create new token: ${(err as Error).message}`);
      }
      io.stdout(formatToken(created, flags.format, flags.meta));
      return 0;
    } finally {
      client.close();
    }
  },
});
