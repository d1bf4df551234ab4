import type { Logger } from 'pino';
import { allRules } from './builtins.js';
import type { AclSettings } from './config.js';
import { PolicyAuthorizer } from './policy-authorizer.js';
import type { ResolvedToken, TokenSource } from './resolver.js';

/** What a client agent asks a server: the token, `null` when the server knows no such secret. Throws when no server answers. */
export type FetchToken = (secret: string) => Promise<ResolvedToken | null>;

export interface RemoteResolverOptions {
  fetch: FetchToken;
  /** How long a fetched token is trusted before it is asked for again (`acl.token_ttl`). */
  ttlMs: number;
  downPolicy: AclSettings['downPolicy'];
  log: Logger;
  now?: () => number;
}

interface Entry {
  /** null: the server said the secret does not exist. */
  token: ResolvedToken | null;
  fetchedAt: number;
}

const CACHE_LIMIT = 4096;

/** Consul's identity for decisions made while the servers cannot be asked. */
const DOWN_ACCESSOR = 'primary-dc-down';

/**
 * A client agent's token source (Consul's client-side ACLResolver): tokens are fetched from a
 * server and trusted for `token_ttl`. When no server answers, `down_policy` decides:
 * `allow` and `deny` answer with an authorizer that allows or denies everything;
 * `extend-cache` keeps using what it fetched last (denying tokens it never saw);
 * `async-cache` does the same and, while the servers answer, refreshes an expired token in
 * the background instead of making the request wait.
 */
export class RemoteTokenResolver implements TokenSource {
  private readonly cache = new Map<string, Entry>();
  /** A decision made while the servers were down, used until the next attempt. */
  private readonly down = new Map<string, ResolvedToken>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly now: () => number;
  private readonly downToken: ResolvedToken;

  constructor(private readonly opts: RemoteResolverOptions) {
    this.now = opts.now ?? Date.now;
    const level = opts.downPolicy === 'allow' ? 'write' : 'deny';
    this.downToken = { accessorId: DOWN_ACCESSOR, anonymous: false, authorizer: PolicyAuthorizer.compile([allRules(level)]) };
  }

  resolve(secret: string): ResolvedToken | undefined {
    const down = this.down.get(secret);
    if (down) return down;
    const entry = this.cache.get(secret);
    // Never prepared: nothing is known, so answer as if the servers were down.
    if (!entry) return this.downToken;
    const token = entry.token;
    if (!token || (token.expiresAt !== undefined && token.expiresAt <= this.now())) return undefined;
    return token;
  }

  async prepare(secret: string): Promise<void> {
    const entry = this.cache.get(secret);
    if (entry && this.now() - entry.fetchedAt < this.opts.ttlMs && !this.down.has(secret)) return;
    const refresh = this.refresh(secret);
    // async-cache answers with the expired token at once and lets the refresh finish on its own.
    if (entry && this.opts.downPolicy === 'async-cache' && !this.down.has(secret)) return;
    await refresh;
  }

  /** Forgets every token (their policies may have changed, or the agent token was replaced). */
  clear(): void {
    this.cache.clear();
    this.down.clear();
  }

  private refresh(secret: string): Promise<void> {
    let running = this.inflight.get(secret);
    if (!running) {
      running = this.fetchOnce(secret).finally(() => this.inflight.delete(secret));
      this.inflight.set(secret, running);
    }
    return running;
  }

  private async fetchOnce(secret: string): Promise<void> {
    try {
      const token = await this.opts.fetch(secret);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(secret, { token, fetchedAt: this.now() });
      this.down.delete(secret);
    } catch (err) {
      const cached = this.cache.get(secret);
      const extend = this.opts.downPolicy === 'extend-cache' || this.opts.downPolicy === 'async-cache';
      // The token itself is never logged, only that resolving failed.
      this.opts.log.warn({ err: (err as Error).message, down_policy: this.opts.downPolicy }, 'could not resolve an ACL token at a server');
      if (extend && cached) {
        this.down.delete(secret);
        return;
      }
      if (this.down.size >= CACHE_LIMIT) this.down.clear();
      this.down.set(secret, this.downToken);
    }
  }
}
