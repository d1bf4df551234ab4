import { defineOp } from '../op.js';
import type { WriteTxn } from '../txn.js';
import { NODES, nodeKey } from './types.js';
import {
  deleteCheckTxn,
  deleteNodeTxn,
  deleteServiceTxn,
  ensureCheckTxn,
  ensureNodeTxn,
  ensureServiceTxn,
  type CheckInput,
  type NodeInput,
  type ServiceInput,
} from './write.js';

/** Consul's RegisterRequest, normalised: full rows minus indexes. */
export interface RegisterInput {
  Node: NodeInput;
  SkipNodeUpdate?: boolean;
  Service?: ServiceInput;
  Checks?: CheckInput[];
}

export interface RegisterOp extends RegisterInput {
  type: 'catalog.register';
  [k: string]: unknown;
}

export interface DeregisterInput {
  Node: string;
  ServiceID?: string;
  CheckID?: string;
}

export interface DeregisterOp extends DeregisterInput {
  type: 'catalog.deregister';
  [k: string]: unknown;
}

/**
 * One agent's anti-entropy pass in one log entry: the node, the services and checks
 * it owns, and what to remove. Unchanged rows write nothing.
 */
export interface SyncOp {
  type: 'catalog.sync';
  Node: NodeInput;
  Services: ServiceInput[];
  Checks: CheckInput[];
  DeleteServices: string[];
  DeleteChecks: string[];
  [k: string]: unknown;
}

export function registerTxn(tx: WriteTxn, op: RegisterInput): void {
  const exists = tx.table(NODES).has(nodeKey(op.Node.Node));
  if (!op.SkipNodeUpdate || !exists) ensureNodeTxn(tx, op.Node);
  if (op.Service) ensureServiceTxn(tx, op.Node.Node, op.Service);
  for (const check of op.Checks ?? []) ensureCheckTxn(tx, op.Node.Node, check);
}

export function deregisterTxn(tx: WriteTxn, op: DeregisterInput): void {
  if (op.ServiceID) deleteServiceTxn(tx, op.Node, op.ServiceID);
  else if (op.CheckID) deleteCheckTxn(tx, op.Node, op.CheckID);
  else deleteNodeTxn(tx, op.Node);
}

defineOp<RegisterOp>('catalog.register', (tx, op) => {
  registerTxn(tx, op);
  return true;
});

defineOp<DeregisterOp>('catalog.deregister', (tx, op) => {
  deregisterTxn(tx, op);
  return true;
});

defineOp<SyncOp>('catalog.sync', (tx, op) => {
  ensureNodeTxn(tx, op.Node);
  for (const id of op.DeleteChecks) deleteCheckTxn(tx, op.Node.Node, id);
  for (const id of op.DeleteServices) deleteServiceTxn(tx, op.Node.Node, id);
  for (const s of op.Services) ensureServiceTxn(tx, op.Node.Node, s);
  for (const c of op.Checks) ensureCheckTxn(tx, op.Node.Node, c);
  return true;
});
