import { rootCertificates } from 'node:tls';
import { sniName } from '../address.js';
import type { CheckDefinition, ProbeResult } from '../types.js';

/** What a probe gets besides the definition: the runner's stop signal and extra trusted CAs. */
export interface ProbeContext {
  /** Aborted when the runner stops; a probe then settles promptly (its result is ignored). */
  signal: AbortSignal;
  tlsCa?: string | Buffer | Array<string | Buffer>;
}

export type Probe = (def: CheckDefinition, ctx: ProbeContext) => Promise<ProbeResult>;

export const passing = (output: string): ProbeResult => ({ status: 'passing', output });
export const warning = (output: string): ProbeResult => ({ status: 'warning', output });
export const critical = (output: string): ProbeResult => ({ status: 'critical', output });

/**
 * An abort signal that fires at the check's timeout or when the runner stops, whichever is first;
 * `timedOut()` tells the two apart. `done()` releases the timer.
 */
export interface Deadline {
  signal: AbortSignal;
  timedOut(): boolean;
  /** Runs `fn` once on abort, at once if already aborted; returns a function that cancels it. */
  onAbort(fn: () => void): () => void;
  done(): void;
}

export function deadline(ctx: ProbeContext, timeoutMs: number): Deadline {
  const ac = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    ac.abort(new Error('timeout'));
  }, timeoutMs);
  const onStop = () => ac.abort(new Error('stopped'));
  if (ctx.signal.aborted) onStop();
  else ctx.signal.addEventListener('abort', onStop, { once: true });
  return {
    signal: ac.signal,
    timedOut: () => expired,
    onAbort: (fn) => {
      if (ac.signal.aborted) {
        queueMicrotask(fn);
        return () => {};
      }
      ac.signal.addEventListener('abort', fn, { once: true });
      return () => ac.signal.removeEventListener('abort', fn);
    },
    done: () => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onStop);
    },
  };
}

/** TLS client options for a check: verification on unless `tls_skip_verify`, SNI from `tls_server_name` or the host. */
export function tlsOptions(def: CheckDefinition, host: string, ctx: ProbeContext) {
  const extra = ctx.tlsCa === undefined ? [] : Array.isArray(ctx.tlsCa) ? ctx.tlsCa : [ctx.tlsCa];
  return {
    servername: sniName(host, def.tlsServerName),
    rejectUnauthorized: !def.tlsSkipVerify,
    ...(extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {}),
  };
}
