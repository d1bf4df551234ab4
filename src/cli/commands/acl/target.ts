import type { ApiClient } from '../../../api/index.js';
import { apiClient } from '../../client.js';
import type { CommandIO } from '../../command.js';
import type { HttpFlagValues } from '../../http-flags.js';

/** The ACL objects a command can act on one of; the word in the API path and in every message. */
export type AclNoun = 'token' | 'policy' | 'role';

/** Prints Consul's one-line error and gives the exit code for it. */
export type Fail = (msg: string) => number;

export const failOn =
  (io: CommandIO): Fail =>
  (msg) => (io.stderr(`${msg}\n`), 1);

/** What a command works with once it has found its object. */
export interface Found {
  client: ApiClient;
  /** The object's full ID. */
  id: string;
  io: CommandIO;
  fail: Fail;
}

/**
 * The start of every ACL command that acts on one token, policy or role: `resolve` finds
 * its full ID (from a unique prefix, a name, or `self`), then `then` runs with the same
 * client, which is closed afterwards. A failed lookup is Consul's "Error determining".
 */
export async function withTarget(
  noun: AclNoun,
  flags: HttpFlagValues,
  io: CommandIO,
  resolve: (client: ApiClient) => Promise<string>,
  then: (found: Found) => Promise<number>,
): Promise<number> {
  const fail = failOn(io);
  const client = apiClient(flags, io);
  try {
    let id: string;
    try {
      id = await resolve(client);
    } catch (err) {
      return fail(`Error determining ${noun} ID: ${(err as Error).message}`);
    }
    return await then({ client, id, io, fail });
  } finally {
    client.close();
  }
}

/** The end of `acl token|policy|role delete`: deletes by full ID and says so as Consul does. */
export async function deleteFound(noun: AclNoun, { client, id, io, fail }: Found): Promise<number> {
  try {
    await client.delete(`/v1/acl/${noun}/${id}`);
  } catch (err) {
    return fail(`Error deleting ${noun} ${JSON.stringify(id)}: ${(err as Error).message}`);
  }
  io.stdout(`${noun[0].toUpperCase()}${noun.slice(1)} ${JSON.stringify(id)} deleted successfully\n`);
  return 0;
}
