import type { ApiClient } from '../../../api/index.js';
import type { CommandIO } from '../../command.js';
import type { HttpFlagValues } from '../../http-flags.js';
import { deleteFound, failOn, withTarget, type Found } from './target.js';

/** Policies and roles: the ACL objects a command names by -id (a unique prefix will do) or by -name. */
export interface NamedKind<T> {
  noun: 'policy' | 'role';
  /** The full ID for `id` (a unique prefix will do) or, when `id` is empty, for `name`. */
  select(client: ApiClient, id: string, name: string): Promise<string>;
  format(item: T, format: 'pretty' | 'json', meta: boolean): string;
}

interface NamedFlags extends HttpFlagValues {
  id: string;
  name: string;
}

interface OutputFlagValues {
  format: 'pretty' | 'json';
  meta: boolean;
}

/** One of -id or -name is required, as in Consul's policy and role commands. */
export function withNamed<T>(kind: NamedKind<T>, flags: NamedFlags, io: CommandIO, then: (found: Found) => Promise<number>): Promise<number> {
  if (!flags.id && !flags.name) return Promise.resolve(failOn(io)('Must specify either the -id or -name parameters'));
  return withTarget(kind.noun, flags, io, (client) => kind.select(client, flags.id, flags.name), then);
}

/** `acl policy read` and `acl role read`. */
export function readNamed<T>(kind: NamedKind<T>, flags: NamedFlags & OutputFlagValues, io: CommandIO): Promise<number> {
  return withNamed(kind, flags, io, async ({ client, id, fail }) => {
    let item: T;
    try {
      item = (await client.get<T>(`/v1/acl/${kind.noun}/${id}`)).body;
    } catch (err) {
      return fail(`Error reading ${kind.noun} ${JSON.stringify(id)}: ${(err as Error).message}`);
    }
    io.stdout(kind.format(item, flags.format, flags.meta));
    return 0;
  });
}

/** `acl policy delete` and `acl role delete`. */
export function deleteNamed<T>(kind: NamedKind<T>, flags: NamedFlags, io: CommandIO): Promise<number> {
  return withNamed(kind, flags, io, (found) => deleteFound(kind.noun, found));
}

/** The end of `acl policy update` and `acl role update`: writes the merged object and prints what the server kept. */
export async function writeNamed<T>(kind: NamedKind<T>, { client, id, io, fail }: Found, body: object, flags: OutputFlagValues): Promise<number> {
  let updated: T;
  try {
    updated = (await client.put<T>(`/v1/acl/${kind.noun}/${id}`, { body })).body;
  } catch (err) {
    return fail(`Error updating ${kind.noun} ${JSON.stringify(id)}: ${(err as Error).message}`);
  }
  io.stdout(kind.format(updated, flags.format, flags.meta));
  return 0;
}
