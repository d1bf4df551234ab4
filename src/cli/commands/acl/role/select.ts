import type { ApiClient } from '../../../../api/index.js';
import { roleIdByName, roleIdFromPartial } from '../lookup.js';

/** The role a command names with -id (a unique prefix will do) or -name. */
export function selectRole(client: ApiClient, id: string, name: string): Promise<string> {
  return id ? roleIdFromPartial(client, id) : roleIdByName(client, name);
}
