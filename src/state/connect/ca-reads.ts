import type { StateStore } from '../store.js';
import type { WatchSet } from '../watch.js';
import { CA_CONFIG, CA_CONFIG_KEY, CA_KEYS, CA_ROOTS, type CAConfigRow, type CAKeyRow, type CARootRow } from './ca-types.js';

export interface CARootsView {
  index: number;
  /** Empty until the CA is set up. */
  trustDomain: string;
  activeRootId: string;
  /** Oldest first; never carries private keys. */
  roots: CARootRow[];
}

export function caRoots(store: StateStore, ws: WatchSet | null): CARootsView {
  const index = store.tableIndex(ws, CA_ROOTS, CA_CONFIG);
  const config = store.table<CAConfigRow>(CA_CONFIG).get(CA_CONFIG_KEY);
  const roots = [...store.table<CARootRow>(CA_ROOTS).all()].sort((a, b) => a.CreateIndex - b.CreateIndex);
  return {
    index,
    trustDomain: config ? `${config.ClusterID}.consul` : '',
    activeRootId: roots.find((r) => r.Active)?.ID ?? '',
    roots,
  };
}

export function caConfig(store: StateStore, ws: WatchSet | null): { index: number; config?: CAConfigRow } {
  const index = store.tableIndex(ws, CA_CONFIG);
  return { index, config: store.table<CAConfigRow>(CA_CONFIG).get(CA_CONFIG_KEY) };
}

/** The active root and its private key, for the server's signer only. */
export function caActiveSigner(store: StateStore): { root: CARootRow; privateKey: string } | undefined {
  for (const root of store.table<CARootRow>(CA_ROOTS).all()) {
    if (!root.Active) continue;
    const key = store.table<CAKeyRow>(CA_KEYS).get(root.ID);
    return key ? { root, privateKey: key.PrivateKey } : undefined;
  }
  return undefined;
}
