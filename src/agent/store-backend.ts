import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/index.js';
import { LmdbBackend, MemoryBackend, type Backend } from '../state/index.js';
import { createEtcdClient } from '../state/backend/etcd-client.js';
import { EtcdBackend, type EtcdNotice } from '../state/backend/etcd.js';
import type { SharedStore } from './cluster/server-role.js';

/**
 * The store a server keeps its state in: in memory for `-dev` (and for a client, whose
 * store stays empty), on etcd with `-store=etcd` (shared with every server on the same
 * etcd), else embedded in the data dir.
 */
export function storeBackend(config: RuntimeConfig, log: Logger): { backend: Backend; shared: SharedStore | null } {
  if (!config.server || config.dev || !config.dataDir) return { backend: new MemoryBackend(), shared: null };
  if (config.store.backend !== 'etcd') return { backend: new LmdbBackend(join(config.dataDir, 'state')), shared: null };
  const s = config.store;
  const client = createEtcdClient({
    endpoints: s.etcdEndpoints,
    caFile: s.etcdCaFile || undefined,
    certFile: s.etcdCertFile || undefined,
    keyFile: s.etcdKeyFile || undefined,
  });
  const backend = new EtcdBackend({ client, onNotice: (n) => logNotice(log, n) });
  return { backend, shared: { client, backend } };
}

function logNotice(log: Logger, n: EtcdNotice): void {
  switch (n.kind) {
    case 'watch-lost':
      return log.warn({ reason: n.reason }, 'etcd watch stream lost; resuming from the last applied revision');
    case 'watch-restored':
      return log.debug('etcd watch stream established');
    case 'resync':
      return log.info({ from: n.fromRevision, to: n.toRevision, snapshot: n.snapshotLoaded }, 'caught up with the etcd log');
    case 'resync-failed':
      return log.warn({ reason: n.reason }, 'catching up with the etcd log failed; retrying');
    case 'restored':
      return log.info({ revision: n.revision, index: n.index }, 'state restored from a snapshot');
  }
}
