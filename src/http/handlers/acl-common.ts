import { randomUUID } from 'node:crypto';
import { AclAuthorizer, RESERVED_ID_PREFIX } from '../../acl/index.js';
import { WeftError } from '../../lib/errors.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';

/** Consul answers every ACL endpoint of an agent without ACLs with 401 and this text. */
export function requireAcl(ctx: ApiContext): AclAuthorizer {
  if (ctx.authz instanceof AclAuthorizer) return ctx.authz;
  throw Object.assign(new Error('ACL support disabled'), { http: 401, text: 'ACL support disabled' });
}

/** The request's path after `prefix`, URL-decoded; `missing` is the 400 reason when it is empty. */
export function pathTail(req: ApiRequest, prefix: string, missing: string): string {
  let rest: string;
  try {
    rest = decodeURIComponent(req.path.slice(prefix.length));
  } catch {
    throw new WeftError('BAD_REQUEST', `Invalid URL escape: ${req.path}`);
  }
  if (!rest) throw new WeftError('BAD_REQUEST', missing);
  return rest;
}

/** go-uuid's ParseUUID: 36 characters, hex in the 8-4-4-4-12 shape. */
export const isUuid = (id: string): boolean => /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(id);

/** A fresh ID outside the builtins' reserved range that `taken` does not know. */
export function newAclId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = randomUUID();
    if (!id.startsWith(RESERVED_ID_PREFIX) && !taken(id)) return id;
  }
}

/** May the caller see secrets? Only acl:write holders may (Consul redacts them otherwise). */
export const showsSecrets = (req: ApiRequest, ctx: ApiContext): boolean => ctx.authz.allows(req.token, { kind: 'acl' }, 'write');
