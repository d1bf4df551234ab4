import { WeftError } from '../../lib/errors.js';
import { defineOp } from '../op.js';
import type { TableDef } from '../table.js';
import type { WriteTxn } from '../txn.js';
import { CA_CONFIG, CA_CONFIG_KEY, CA_KEYS, CA_ROOTS, type CAConfigRow, type CAKeyRow, type CARootInput, type CARootRow } from './ca-types.js';

export const caTables: TableDef<any>[] = [
  { name: CA_CONFIG, primaryKey: (r: CAConfigRow) => r.Key },
  { name: CA_ROOTS, primaryKey: (r: CARootRow) => r.ID },
  { name: CA_KEYS, primaryKey: (r: CAKeyRow) => r.RootID },
];

export interface CAConfigInput {
  Provider: string;
  Config: Record<string, unknown>;
  ForceWithoutCrossSigning: boolean;
}

/**
 * The first CA setup. Keys and certificate are made before the op is appended, so every
 * server replays the same root; a second server racing to set up finds it done.
 */
export interface CAInitializeOp {
  type: 'ca.initialize';
  ClusterID: string;
  Config: CAConfigInput;
  Root: CARootInput;
  PrivateKey: string;
  [k: string]: unknown;
}

/** A configuration change, with a new root (already cross-signed) when it rotates. */
export interface CASetConfigOp {
  type: 'ca.setConfig';
  Config: CAConfigInput;
  /** The active root the change was computed against; a concurrent rotation makes it fail. */
  ExpectActiveRootID: string;
  NewRoot?: CARootInput;
  PrivateKey?: string;
  RotatedOutAt?: string;
  PruneAfter?: string;
  [k: string]: unknown;
}

/** Removes rotated-out roots whose leaves have all expired. */
export interface CAPruneRootsOp {
  type: 'ca.pruneRoots';
  IDs: string[];
  [k: string]: unknown;
}

function putRoot(tx: WriteTxn, root: CARootInput, key: string): void {
  const existing = tx.table<CARootRow>(CA_ROOTS).get(root.ID);
  tx.put<CARootRow>(CA_ROOTS, { ...root, CreateIndex: existing?.CreateIndex ?? tx.index, ModifyIndex: tx.index });
  tx.put<CAKeyRow>(CA_KEYS, { RootID: root.ID, PrivateKey: key });
}

function activeRoot(tx: WriteTxn): CARootRow | undefined {
  for (const r of tx.table<CARootRow>(CA_ROOTS).all()) if (r.Active) return r;
  return undefined;
}

defineOp<CAInitializeOp>('ca.initialize', (tx, op) => {
  if (tx.table(CA_CONFIG).has(CA_CONFIG_KEY)) return false;
  tx.put<CAConfigRow>(CA_CONFIG, { Key: CA_CONFIG_KEY, ClusterID: op.ClusterID, ...op.Config, CreateIndex: tx.index, ModifyIndex: tx.index });
  putRoot(tx, { ...op.Root, Active: true }, op.PrivateKey);
  return true;
});

defineOp<CASetConfigOp>('ca.setConfig', (tx, op) => {
  const config = tx.table<CAConfigRow>(CA_CONFIG).get(CA_CONFIG_KEY);
  const active = activeRoot(tx);
  if (!config || !active) throw new WeftError('UNAVAILABLE', 'the Connect CA is not initialized yet');
  if (active.ID !== op.ExpectActiveRootID) throw new WeftError('CONFLICT', 'could not atomically update roots and config');
  tx.put<CAConfigRow>(CA_CONFIG, { ...config, ...op.Config, ModifyIndex: tx.index });
  if (op.NewRoot && op.PrivateKey) {
    tx.put<CARootRow>(CA_ROOTS, { ...active, Active: false, RotatedOutAt: op.RotatedOutAt, PruneAfter: op.PruneAfter, ModifyIndex: tx.index });
    putRoot(tx, { ...op.NewRoot, Active: true }, op.PrivateKey);
  }
  return true;
});

defineOp<CAPruneRootsOp>('ca.pruneRoots', (tx, op) => {
  let pruned = 0;
  for (const id of op.IDs) {
    const root = tx.table<CARootRow>(CA_ROOTS).get(id);
    if (!root || root.Active) continue;
    tx.delete(CA_ROOTS, id);
    tx.delete(CA_KEYS, id);
    pruned++;
  }
  return pruned;
});
