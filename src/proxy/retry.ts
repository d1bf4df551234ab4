import type { TLSSocket } from 'node:tls';
import { WeftError } from '../lib/errors.js';
import type { UpstreamEndpoint } from '../proxycfg/wire.js';
import { endpointKey, type EndpointTable } from './balancer.js';

/** Consul's built-in proxy picks one instance; Weft tries up to this many before giving up. */
export const DEFAULT_ATTEMPTS = 3;

export type EndpointDialer = (endpoint: UpstreamEndpoint) => Promise<TLSSocket>;

/**
 * The retry layer: dials an instance the table picks and, when that fails, another one it
 * has not tried, up to `attempts` distinct instances. Each failure is reported once.
 */
export function withRetry(table: EndpointTable, dial: EndpointDialer, opts: { attempts?: number; onFailure?: (err: unknown, e: UpstreamEndpoint) => void } = {}): () => Promise<TLSSocket> {
  const attempts = opts.attempts ?? DEFAULT_ATTEMPTS;
  return async () => {
    const tried = new Set<string>();
    let last: unknown = new WeftError('UNAVAILABLE', 'no healthy instances found');
    for (let i = 0; i < attempts; i++) {
      const e = table.pick(tried);
      if (!e) break;
      tried.add(endpointKey(e));
      try {
        return await dial(e);
      } catch (err) {
        opts.onFailure?.(err, e);
        last = err;
      }
    }
    throw last;
  };
}
