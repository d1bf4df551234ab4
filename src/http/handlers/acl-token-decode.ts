import { RESERVED_ID_PREFIX } from '../../acl/index.js';
import { formatDuration } from '../../lib/duration.js';
import { WeftError } from '../../lib/errors.js';
import type { LinkInput, NodeIdentity, ServiceIdentity } from '../../state/index.js';
import { bodyReader, decodeLinks, decodeNodeIdentities, decodeServiceIdentities, decoding } from './acl-decode.js';
import { isUuid } from './acl-common.js';

/** Consul's server defaults for token lifetimes (acl_token_min/max_expiration_ttl). */
export const MIN_EXPIRATION_MS = 60_000;
export const MAX_EXPIRATION_MS = 24 * 3_600_000;

export interface TokenBody {
  AccessorID: string;
  SecretID: string;
  Description: string;
  Policies: LinkInput[];
  Roles: LinkInput[];
  ServiceIdentities: ServiceIdentity[];
  NodeIdentities: NodeIdentity[];
  Local: boolean;
  ExpirationTime?: string;
  ExpirationTtlMs: number;
}

const bad = (message: string): WeftError => new WeftError('BAD_REQUEST', message);

export function decodeTokenBody(raw: unknown): TokenBody {
  const body = bodyReader(raw, 'Token');
  return decoding('Token', () => {
    if (body.string('AuthMethod')) throw bad('AuthMethod field is disallowed outside of login');
    const local = body.bool('Local');
    const expiration = body.string('ExpirationTime');
    if (expiration && Number.isNaN(Date.parse(expiration))) {
      throw bad(`Token decoding failed: parsing time "${expiration}" as RFC 3339: cannot parse`);
    }
    const out: TokenBody = {
      AccessorID: body.string('AccessorID'),
      SecretID: body.string('SecretID'),
      Description: body.string('Description'),
      Policies: decodeLinks(body, 'Policies'),
      Roles: decodeLinks(body, 'Roles'),
      ServiceIdentities: decodeServiceIdentities(body, 'token', local),
      NodeIdentities: decodeNodeIdentities(body, 'token'),
      Local: local,
      ExpirationTtlMs: body.duration('ExpirationTTL') ?? 0,
    };
    if (expiration) out.ExpirationTime = new Date(expiration).toISOString();
    return out;
  });
}

/** A caller-chosen AccessorID or SecretID must be a UUID outside the builtins' range. */
export function checkChosenId(id: string, field: 'AccessorID' | 'SecretID'): void {
  if (id.startsWith(RESERVED_ID_PREFIX)) throw bad(`Invalid Token: ${field} - UUIDs with the prefix "${RESERVED_ID_PREFIX}" are reserved`);
  if (!isUuid(id)) throw bad(`Invalid Token: ${field} - not a valid UUID`);
}

/** A new token's ExpirationTime from its TTL or time, within Consul's bounds (TokenWriter.Create). */
export function newExpiration(body: Pick<TokenBody, 'ExpirationTime' | 'ExpirationTtlMs'>, created: Date): string | undefined {
  let expires = body.ExpirationTime;
  if (body.ExpirationTtlMs < 0) throw bad(`Token Expiration TTL '${formatDuration(body.ExpirationTtlMs)}' should be > 0`);
  if (body.ExpirationTtlMs > 0) {
    if (expires) throw bad('Token Expiration TTL and Expiration Time cannot both be set');
    expires = new Date(created.getTime() + body.ExpirationTtlMs).toISOString();
  }
  if (!expires) return undefined;
  const inMs = Date.parse(expires) - created.getTime();
  if (inMs < 0) throw bad('ExpirationTime cannot be before CreateTime');
  if (inMs > MAX_EXPIRATION_MS) throw bad(`ExpirationTime cannot be more than ${formatDuration(MAX_EXPIRATION_MS)} in the future (was ${formatDuration(inMs)})`);
  if (inMs < MIN_EXPIRATION_MS) throw bad(`ExpirationTime cannot be less than ${formatDuration(MIN_EXPIRATION_MS)} in the future (was ${formatDuration(inMs)})`);
  return expires;
}
