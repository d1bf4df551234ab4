import type { ApiClient, Response } from '../api/client.js';
import { SNAPSHOT_PATH, type ProxySnapshot } from '../proxycfg/wire.js';
import { follow } from '../sdk/follow.js';

/** Which snapshot to follow: a registered proxy's, or one made up from `-service`/`-upstream` flags. */
export type SnapshotTarget =
  | { proxyId: string; node?: string }
  | { service: string; upstreams: string[]; listen?: string; serviceAddr?: string };

function request(target: SnapshotTarget): { path: string; query: Record<string, string | string[] | undefined> } {
  if ('proxyId' in target) return { path: `${SNAPSHOT_PATH}/${encodeURIComponent(target.proxyId)}`, query: { node: target.node } };
  return { path: SNAPSHOT_PATH, query: { service: target.service, upstream: target.upstreams, listen: target.listen, 'service-addr': target.serviceAddr } };
}

/**
 * Reads a proxy's snapshot from its agent. With the previous answer's index and hash the
 * call blocks until the snapshot differs (or `wait` passes).
 */
export function fetchSnapshot(
  client: ApiClient,
  target: SnapshotTarget,
  opts: { index?: number; hash?: string; wait?: string; signal?: AbortSignal } = {},
): Promise<Response<ProxySnapshot>> {
  const r = request(target);
  return client.get<ProxySnapshot>(r.path, { query: { ...r.query, index: opts.index || undefined, hash: opts.hash, wait: opts.wait }, signal: opts.signal });
}

/** Follows the snapshot from `start` on, handing each changed one to `onSnapshot` (Consul's watch, one query). */
export function followSnapshots(
  client: ApiClient,
  target: SnapshotTarget,
  start: Response<ProxySnapshot>,
  onSnapshot: (s: ProxySnapshot) => void,
  opts: { signal: AbortSignal; onError?: (err: unknown, attempt: number) => void },
): Promise<void> {
  let hash = String(start.headers['x-consul-contenthash'] ?? '');
  let first = true;
  return follow(
    (index, signal) => fetchSnapshot(client, target, { index: first ? start.meta.index : index, hash, signal }),
    (s, res) => {
      first = false;
      const next = String(res.headers['x-consul-contenthash'] ?? '');
      if (next && next === hash) return;
      hash = next;
      onSnapshot(s);
    },
    { signal: opts.signal, onError: opts.onError },
  );
}
