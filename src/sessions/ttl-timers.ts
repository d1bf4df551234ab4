import type { Logger } from 'pino';
import { parseDuration } from '../lib/duration.js';
import { SESSIONS, sessionList, tableTopic, type SessionRow, type StateStore } from '../state/index.js';

/** Consul's structs.SessionTTLMultiplier: a session expires 2×TTL after its last renewal. */
export const SESSION_TTL_MULTIPLIER = 2;
const RETRY_BASE_MS = 10_000;
const MAX_ATTEMPTS = 6;

/**
 * The leader's session TTL timers (Consul's agent/consul/session_ttl.go). Renewals only
 * reset a timer here; expiry is a `session.destroy` appended to the log, so every server
 * and every replay sees the same invalidation. After a restart every TTL session gets a
 * fresh 2×TTL, as Consul's new leader gives them.
 */
export class SessionTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: StateStore,
    private readonly isLeader: () => boolean,
    private readonly log: Logger,
  ) {
    for (const s of sessionList(this.store, null).sessions) this.reset(s);
    // Sessions invalidated by other means (their node or check) need no timer any more.
    this.unsubscribe = store.hub.subscribe([tableTopic(SESSIONS)], () => this.prune());
  }

  /** Starts or restarts a session's expiry clock; sessions without a TTL have none. */
  reset(session: Pick<SessionRow, 'ID' | 'TTL'>): void {
    const ttlMs = ttlOf(session.TTL);
    this.clear(session.ID);
    if (ttlMs <= 0) return;
    this.arm(session.ID, ttlMs * SESSION_TTL_MULTIPLIER, 0);
  }

  clear(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  get size(): number {
    return this.timers.size;
  }

  stop(): void {
    this.unsubscribe();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private arm(id: string, delayMs: number, attempt: number): void {
    const timer = setTimeout(() => void this.expire(id, attempt), delayMs);
    timer.unref();
    this.timers.set(id, timer);
  }

  private async expire(id: string, attempt: number): Promise<void> {
    this.timers.delete(id);
    if (!this.store.table<SessionRow>(SESSIONS).has(id) || !this.isLeader()) return;
    try {
      await this.store.apply({ type: 'session.destroy', ID: id });
      this.log.debug({ session: id }, 'session TTL expired');
    } catch (err) {
      this.log.error({ err, session: id }, 'session invalidation failed');
      if (attempt + 1 < MAX_ATTEMPTS) this.arm(id, RETRY_BASE_MS * 2 ** attempt, attempt + 1);
    }
  }

  private prune(): void {
    const sessions = this.store.table<SessionRow>(SESSIONS);
    for (const id of [...this.timers.keys()]) if (!sessions.has(id)) this.clear(id);
  }
}

function ttlOf(ttl: string): number {
  if (!ttl) return 0;
  try {
    return parseDuration(ttl);
  } catch {
    return 0;
  }
}
