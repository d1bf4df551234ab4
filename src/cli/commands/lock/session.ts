import type { ApiClient } from '../../../api/index.js';
import { ApiError } from '../../../api/index.js';
import { parseDuration } from '../../../lib/duration.js';

/** The session TTL Consul's lock and semaphore helpers use (api/lock.go DefaultLockSessionTTL). */
export const LOCK_SESSION_TTL = '15s';

/** Resolves after `ms`, or early (with false) once `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** An error worth riding out while watching a held lock: the agent unreachable or answering 500. */
export function retryable(err: unknown): boolean {
  if (err instanceof ApiError) return err.statusCode >= 500;
  return (err as { code?: string })?.code === 'UNAVAILABLE';
}

/**
 * A session that lives as long as a lock attempt: created with a TTL, renewed every TTL/2
 * (honouring a TTL the server raises), destroyed when released.
 */
export class LockSession {
  private readonly stop = new AbortController();
  private renewing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: ApiClient,
    readonly id: string,
    private ttlMs: number,
  ) {}

  static async create(client: ApiClient, name: string, behavior: 'release' | 'delete'): Promise<LockSession> {
    const res = await client
      .put<{ ID: string }>('/v1/session/create', { body: { Name: name, TTL: LOCK_SESSION_TTL, Behavior: behavior } })
      .catch((err: Error) => {
        throw new Error(`failed to create session: ${err.message}`);
      });
    const s = new LockSession(client, res.body.ID, parseDuration(LOCK_SESSION_TTL));
    s.renewing = s.renewLoop();
    return s;
  }

  private async renewLoop(): Promise<void> {
    while (await sleep(this.ttlMs / 2, this.stop.signal)) {
      try {
        const res = await this.client.put<{ TTL: string }[]>(`/v1/session/renew/${encodeURIComponent(this.id)}`, { signal: this.stop.signal });
        const ttl = res.body?.[0]?.TTL;
        if (ttl) this.ttlMs = parseDuration(ttl);
      } catch {
        // The session is gone or the agent unreachable: whoever holds a lock with it will notice.
        return;
      }
    }
  }

  /** Stops renewing and destroys the session (best effort, as Consul's helpers do). */
  async destroy(): Promise<void> {
    this.stop.abort();
    await this.renewing;
    await this.client.put(`/v1/session/destroy/${encodeURIComponent(this.id)}`).catch(() => {});
  }
}
