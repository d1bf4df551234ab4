import type { ACLNodeIdentity, ACLServiceIdentity } from '../../../../api/acl.js';
import type { ApiClient } from '../../../../api/index.js';
import { flag } from '../../../flags.js';
import { parseNodeIdentities, parseServiceIdentities } from '../identities.js';
import { policyIdFromPartial } from '../lookup.js';

export const roleGrantFlags = {
  'policy-id': flag.list('ID of a policy to use for this role. May be specified multiple times'),
  'policy-name': flag.list('Name of a policy to use for this role. May be specified multiple times'),
  'service-identity': flag.list('Name of a service identity to use for this role. May be specified multiple times. Format is the SERVICENAME or SERVICENAME:DATACENTER1,DATACENTER2,...'),
  'node-identity': flag.list('Name of a node identity to use for this role. May be specified multiple times. Format is NODENAME:DATACENTER'),
};

export interface RoleGrants {
  Policies: { ID?: string; Name?: string }[];
  ServiceIdentities: ACLServiceIdentity[];
  NodeIdentities: ACLNodeIdentity[];
}

/** The grants given on the command line; throws with the message to print. */
export async function roleGrants(client: ApiClient, flags: { 'policy-id': string[]; 'policy-name': string[]; 'service-identity': string[]; 'node-identity': string[] }): Promise<RoleGrants> {
  const policies: RoleGrants['Policies'] = flags['policy-name'].map((Name) => ({ Name }));
  for (const id of flags['policy-id']) {
    try {
      policies.push({ ID: await policyIdFromPartial(client, id) });
    } catch (err) {
      throw new Error(`Error resolving policy ID ${id}: ${(err as Error).message}`);
    }
  }
  return { Policies: policies, ServiceIdentities: parseServiceIdentities(flags['service-identity']), NodeIdentities: parseNodeIdentities(flags['node-identity']) };
}
