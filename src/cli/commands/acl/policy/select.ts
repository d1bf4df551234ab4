import type { ApiClient } from '../../../../api/index.js';
import { policyIdByName, policyIdFromPartial } from '../lookup.js';

/** The policy a command names with -id (a unique prefix will do) or -name. */
export function selectPolicy(client: ApiClient, id: string, name: string): Promise<string> {
  return id ? policyIdFromPartial(client, id) : policyIdByName(client, name);
}
