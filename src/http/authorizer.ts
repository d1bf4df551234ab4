/**
 * The seam ACLs plug into. Every handler asks it before reading or writing; until the
 * ACL issue lands the only implementation allows everything.
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
}

export const allowAll: Authorizer = {
  defaultPolicy: 'allow',
  check() {},
  allows: () => true,
};
