/**
 * Per-request authorization on the public listener of a service that speaks HTTP: the
 * intention that decides the caller (the first in precedence order whose names fit) allows
 * or denies outright at L4, or, with L7 permissions, by the first permission that matches
 * the request. An L7 intention none of whose permissions match defers to the default
 * policy, not to lower-precedence intentions: Consul's RBAC rendering (agent/xds/rbac.go)
 * removes the caller from every intention below it and keeps only permissions that differ
 * from the default action.
 */
import type { Intention } from '../../api/connect.js';
import type { SnapshotIntentions } from '../../proxycfg/wire.js';
import type { RequestHead } from './request-head.js';
import { compilePermissionMatch, matchAll, type RequestMatcher } from './request-match.js';

export interface RequestAuthorization {
  allowed: boolean;
  /** Consul's authorize wording: "Matched L4 intention: web => api (deny)", "Matched L7 intention: ...", or the default's reason. */
  reason: string;
}

interface CompiledPermission {
  match: RequestMatcher;
  decision: RequestAuthorization;
}

interface CompiledIntention {
  source: string;
  destination: string;
  /** Set for an L4 intention: it decides every request alike. */
  decision?: RequestAuthorization;
  permissions: CompiledPermission[];
  /** What an L7 intention decides when no permission matches. */
  fallback: RequestAuthorization;
}

// Compiled once per snapshot table: the per-request path runs matchers only, regexes included.
const compiledTables = new WeakMap<SnapshotIntentions, CompiledTable>();

interface CompiledTable {
  intentions: CompiledIntention[];
  byDefault: RequestAuthorization;
}

/** Decisions are shared by every request they apply to. */
const decision = (allowed: boolean, reason: string): RequestAuthorization => Object.freeze({ allowed, reason });

const fits = (pattern: string, name: string): boolean => pattern === '*' || pattern === name;

function compilePermissions(ixn: Intention, what: string): CompiledPermission[] {
  return (ixn.Permissions ?? []).map((p, i) => {
    const allow = p.Action === 'allow';
    const reason = `Matched L7 intention: ${what}, permission ${i + 1} (${p.Action})`;
    try {
      return { match: p.HTTP ? compilePermissionMatch(p.HTTP) : matchAll, decision: decision(allow, reason) };
    } catch (err) {
      // A rule that cannot be evaluated fails closed: a deny applies to every request, an allow to none.
      const broken = `${reason}; its rule cannot be evaluated: ${(err as Error).message}`;
      return { match: allow ? () => false : matchAll, decision: decision(allow, broken) };
    }
  });
}

function compileTable(table: SnapshotIntentions): CompiledTable {
  const fallbackFor = (what: string): RequestAuthorization =>
    decision(table.DefaultAllow, `Matched L7 intention: ${what}, but no permission matches the request; ${table.DefaultReason}`);
  const intentions = table.Matches.map((ixn): CompiledIntention => {
    const what = `${ixn.SourceName} => ${ixn.DestinationName}`;
    const l7 = (ixn.Permissions?.length ?? 0) > 0;
    return {
      source: ixn.SourceName,
      destination: ixn.DestinationName,
      ...(l7 ? {} : { decision: decision(ixn.Action === 'allow', `Matched L4 intention: ${what} (${ixn.Action})`) }),
      permissions: l7 ? compilePermissions(ixn, what) : [],
      fallback: fallbackFor(what),
    };
  });
  return { intentions, byDefault: decision(table.DefaultAllow, table.DefaultReason) };
}

function compiled(table: SnapshotIntentions): CompiledTable {
  let c = compiledTables.get(table);
  if (!c) {
    c = compileTable(table);
    compiledTables.set(table, c);
  }
  return c;
}

/** Decides one request of `source` (already authenticated) to `destination`; `table.Matches` is in precedence order. */
export function authorizeRequest(source: string, destination: string, table: SnapshotIntentions, req: RequestHead): RequestAuthorization {
  const { intentions: list, byDefault } = compiled(table);
  for (let i = 0; i < list.length; i++) {
    const ixn = list[i];
    if (!fits(ixn.source, source) || !fits(ixn.destination, destination)) continue;
    if (ixn.decision) return ixn.decision;
    const perms = ixn.permissions;
    for (let j = 0; j < perms.length; j++) if (perms[j].match(req)) return perms[j].decision;
    return ixn.fallback;
  }
  return byDefault;
}
