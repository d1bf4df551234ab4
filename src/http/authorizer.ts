/**
 * The seam ACLs plug into. Every handler asks it before reading or writing: `allowAll` when
 * `acl.enabled` is off, the ACL system's authorizer (src/acl) when it is on.
 */
export type AccessLevel = 'read' | 'list' | 'write';

export type Resource =
  | { kind: 'key'; name: string }
  | { kind: 'service'; name: string }
  | { kind: 'node'; name: string }
  | { kind: 'session'; name: string }
  | { kind: 'event'; name: string }
  | { kind: 'query'; name: string }
  | { kind: 'agent'; name: string }
  | { kind: 'intention'; name: string }
  | { kind: 'operator' }
  | { kind: 'mesh' }
  | { kind: 'acl' }
  | { kind: 'keyring' };

export interface Authorizer {
  /** The default policy reported in X-Consul-Default-ACL-Policy. */
  readonly defaultPolicy: 'allow' | 'deny';
  /** Throws WeftError PERMISSION_DENIED / ACL_NOT_FOUND when the token may not. */
  check(token: string, resource: Resource, access: AccessLevel): void;
  /** For list reads that filter silently: may this token see this item? */
  allows(token: string, resource: Resource, access: AccessLevel): boolean;
  /**
   * Makes the synchronous calls above answer for `token` without waiting: a client agent
   * fetches the token from a server here. The HTTP edge awaits it before every handler.
   */
  prepare?(token: string): Promise<void>;
  /** KeyWritePrefix: may the token write every key under `prefix` (a recursive delete)? Throws like check. */
  checkKeyWritePrefix?(token: string, prefix: string): void;
  /** `acl.enable_key_list_policy`: `?keys` and `?recurse` need `list` on the prefix. */
  readonly keyListPolicy?: boolean;
  /**
   * Did the request authenticate (its own token, or the agent's default token)? Consul tells only
   * those callers that results were filtered, so anonymous callers learn nothing from the header.
   */
  isAuthenticated?(token: string): boolean;
}

export const allowAll: Authorizer = {
  defaultPolicy: 'allow',
  check() {},
  allows: () => true,
};
