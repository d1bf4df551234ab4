import { WeftError } from '../lib/errors.js';
import { PolicyAuthorizer } from './policy-authorizer.js';
import type { ResolvedToken } from './resolver.js';
import { ACCESS_LEVELS, GLOBAL_KINDS, SEGMENT_KINDS, type PolicyRules } from './rules.js';

/**
 * A resolved token as a server hands it to a client agent (Weft's form of Consul's
 * ACL.TokenRead + policy resolution RPCs): who it is and the rule sets it carries, already
 * expanded from its policies, roles and identities, so the client compiles it in one step.
 */
export interface ResolvedTokenWire {
  AccessorID: string;
  Anonymous: boolean;
  Rules: PolicyRules[];
  /** RFC 3339; absent when the token never expires. */
  ExpirationTime?: string;
}

export function tokenToWire(token: ResolvedToken): ResolvedTokenWire {
  const wire: ResolvedTokenWire = { AccessorID: token.accessorId, Anonymous: token.anonymous, Rules: [...(token.rules ?? [])] };
  if (token.expiresAt !== undefined) wire.ExpirationTime = new Date(token.expiresAt).toISOString();
  return wire;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkRules(v: unknown): PolicyRules {
  if (!isObject(v) || !Array.isArray(v.segments) || !isObject(v.global)) throw malformed();
  for (const r of v.segments as unknown[]) {
    if (!isObject(r) || !(SEGMENT_KINDS as readonly unknown[]).includes(r.kind) || typeof r.name !== 'string' || typeof r.prefix !== 'boolean') throw malformed();
    if (!(ACCESS_LEVELS as readonly unknown[]).includes(r.policy)) throw malformed();
    if (r.intentions !== undefined && !(ACCESS_LEVELS as readonly unknown[]).includes(r.intentions)) throw malformed();
  }
  for (const [k, level] of Object.entries(v.global)) {
    if (!(GLOBAL_KINDS as readonly string[]).includes(k) || !(ACCESS_LEVELS as readonly unknown[]).includes(level)) throw malformed();
  }
  return v as unknown as PolicyRules;
}

const malformed = () => new WeftError('INTERNAL', 'the server answered a token resolution with a malformed token');

/** The client's side: checks the shape (a server of another version must not crash the agent) and compiles. */
export function tokenFromWire(raw: unknown): ResolvedToken {
  if (!isObject(raw) || typeof raw.AccessorID !== 'string' || typeof raw.Anonymous !== 'boolean' || !Array.isArray(raw.Rules)) throw malformed();
  const rules = raw.Rules.map(checkRules);
  const token: ResolvedToken = { accessorId: raw.AccessorID, anonymous: raw.Anonymous, authorizer: PolicyAuthorizer.compile(rules), rules };
  if (typeof raw.ExpirationTime === 'string') token.expiresAt = Date.parse(raw.ExpirationTime);
  return token;
}
