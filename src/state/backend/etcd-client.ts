import { readFileSync } from 'node:fs';
import { Etcd3, GRPCCancelledError, GRPCDeadlineExceededError, GRPCUnavailableError, isRecoverableError, type IOptions } from 'etcd3';
import { WeftError } from '../../lib/errors.js';

export interface EtcdClientOptions {
  /** Client URLs, `http://host:2379` or `https://host:2379`. */
  endpoints: string[];
  /** PEM files for TLS: the CA that signed etcd's certificates, and a client certificate and key. */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

type FaultHandling = NonNullable<IOptions['faultHandling']>;
type Policy = ReturnType<NonNullable<FaultHandling['host']>>;

/** A host that failed twice in a row is skipped for this long, so calls go to the members that answer. */
const HOST_DOWN_MS = 1000;
const FAILURES_TO_SKIP = 2;
/** How long a call keeps trying other members (etcd elects a new leader within a few seconds). */
const RETRY_FOR_MS = 5000;
const WATCH_BACKOFF_MAX_MS = 2000;

/**
 * The etcd3 client, tuned for fail-over within seconds: a member that fails twice in a
 * row is skipped for a second, a failed call is retried on the other members, and a broken watch
 * stream reconnects within 2 s (the library's defaults are a 5 s breaker and a 30 s backoff).
 * The small policies below are written against etcd3's policy interface rather than
 * importing its policy library, which is not a dependency of ours.
 */
export function createEtcdClient(opts: EtcdClientOptions): Etcd3 {
  if (opts.endpoints.length === 0) throw new WeftError('CONFIG_INVALID', 'etcd: no endpoints given');
  const hosts = opts.endpoints.map((e) => (/^https?:\/\//.test(e) ? e : `http://${e}`));
  const tls = opts.caFile || opts.certFile || opts.keyFile;
  return new Etcd3({
    hosts,
    dialTimeout: 3000,
    ...(tls
      ? {
          credentials: {
            rootCertificate: opts.caFile ? readFileSync(opts.caFile) : (undefined as unknown as Buffer),
            privateKey: opts.keyFile ? readFileSync(opts.keyFile) : undefined,
            certChain: opts.certFile ? readFileSync(opts.certFile) : undefined,
          },
        }
      : {}),
    faultHandling: {
      host: () => hostBreaker(),
      global: retryOnOtherHosts(hosts.length),
      watchBackoff: backoff(100),
    },
  });
}

function hostBreaker(): Policy {
  let downUntil = 0;
  let failures = 0;
  const policy = {
    async execute<T>(fn: (ctx: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> {
      // Recoverable, so the retry below moves on to another member.
      if (Date.now() < downUntil) throw new GRPCUnavailableError('etcd member recently failed; trying another');
      try {
        const result = await fn({ signal: new AbortController().signal });
        failures = 0;
        return result;
      } catch (err) {
        // A stream we cancelled ourselves says nothing about the member.
        if (isRecoverableError(err as Error) && !(err instanceof GRPCCancelledError) && ++failures >= FAILURES_TO_SKIP) {
          downUntil = Date.now() + HOST_DOWN_MS;
          failures = 0;
        }
        throw err;
      }
    },
  };
  return policy as unknown as Policy;
}

/**
 * Retries what failed for a reason another attempt may not meet (a member down, etcd electing
 * a leader), each time on the next member, with a short growing pause, for up to
 * RETRY_FOR_MS or until the call's own deadline has passed. The writes are create-if-absent,
 * so a retry of one that did commit changes nothing.
 */
function retryOnOtherHosts(hostCount: number): FaultHandling['global'] {
  const policy = {
    async execute<T>(fn: (ctx: { signal: AbortSignal; attempt: number }) => PromiseLike<T> | T): Promise<T> {
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        try {
          return await fn({ signal: new AbortController().signal, attempt });
        } catch (err) {
          if (!isRecoverableError(err as Error) || err instanceof GRPCDeadlineExceededError || Date.now() - started > RETRY_FOR_MS) throw err;
          if (attempt >= hostCount - 1) await new Promise((r) => setTimeout(r, Math.min(500, 50 * 2 ** (attempt - hostCount + 1))));
        }
      }
    },
  };
  return policy as unknown as FaultHandling['global'];
}

interface Backoff {
  readonly duration: number;
  next(): Backoff;
}

function backoff(ms: number): FaultHandling['watchBackoff'] {
  const b: Backoff = { duration: ms, next: () => backoff(Math.min(WATCH_BACKOFF_MAX_MS, ms * 2)) as unknown as Backoff };
  return b as unknown as FaultHandling['watchBackoff'];
}

/**
 * A call bounded by `totalMs`, each attempt by `attemptMs`: a proposal stuck on a member
 * that lost its leader (etcd answers it only after its own request timeout) is abandoned
 * and sent again, reaching the new leader once elected. Only for idempotent calls: reads,
 * and the log's create-if-absent writes.
 */
export async function withAttempts<T>(totalMs: number, attemptMs: number, call: (opts: { deadline: Date }) => Promise<T>): Promise<T> {
  const end = Date.now() + totalMs;
  for (;;) {
    try {
      return await call({ deadline: new Date(Math.min(end, Date.now() + attemptMs)) });
    } catch (err) {
      if (!(err instanceof Error) || !isRecoverableError(err) || Date.now() >= end - 50) throw err;
    }
  }
}

/** An absolute deadline for one etcd call (shared by its retries, so the whole call is bounded). */
export function deadlineIn(ms: number): { deadline: Date } {
  return { deadline: new Date(Date.now() + ms) };
}

/**
 * What a client sees when etcd cannot commit or answer in time: Consul's "No cluster leader"
 * (a 500), with etcd's own reason. Without quorum etcd neither commits nor serves
 * linearizable reads; `?stale` reads keep answering from the local tables.
 */
export function etcdUnavailable(err: unknown, what: string): WeftError {
  const msg = (err as Error)?.message ?? String(err);
  if (/request is too large/.test(msg)) return new WeftError('PAYLOAD_TOO_LARGE', `etcd refused the ${what}: request is too large`);
  if (err instanceof WeftError) return err;
  return new WeftError('NO_LEADER', `No cluster leader: etcd did not ${what} in time, it may have no quorum (${msg.split('\n')[0]})`, { cause: err });
}
