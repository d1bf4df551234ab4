import {
  CHECKS,
  NODES,
  SERVICES,
  checkKey,
  deleteCheckTxn,
  deleteNodeTxn,
  deleteServiceTxn,
  ensureCheckTxn,
  ensureNodeTxn,
  ensureServiceTxn,
  nodeKey,
  serviceKey,
  type CheckInput,
  type CheckRow,
  type NodeInput,
  type NodeRow,
  type ServiceInput,
  type ServiceRow,
} from './catalog/index.js';
import type { WriteTxn } from './txn.js';
import type { TableView, TxnResult } from './txn-op.js';

/** The catalog verbs of /v1/txn (set, cas, get, delete, delete-cas), composed from the catalog's own write functions. */
export interface TxnNodeOp {
  Node: { Verb: string; Node: NodeInput & { ModifyIndex: number } };
}

export interface TxnServiceOp {
  Service: { Verb: string; Node: string; Service: ServiceInput & { ModifyIndex: number } };
}

export interface TxnCheckOp {
  Check: { Verb: string; Check: CheckInput & { Node: string; ModifyIndex: number } };
}

/** A txn op's refusal; its message is the `What` of the 409 answer. */
export class TxnOpFailed extends Error {}

export const failOp = (what: string): never => {
  throw new TxnOpFailed(what);
};

const q = (s: string): string => JSON.stringify(s);

/** Check-and-set over any catalog row: 0 = create only; n = only while its ModifyIndex is n. */
function casAllowed(existing: { ModifyIndex: number } | undefined, index: number): boolean {
  if (index === 0) return existing === undefined;
  return existing !== undefined && existing.ModifyIndex === index;
}

function writer(tx: WriteTxn | null, verb: string): WriteTxn {
  // Write verbs never reach the read-only path: the endpoint counts them as writes.
  if (!tx) throw new Error(`txn write verb ${verb} outside a log entry`);
  return tx;
}

function nodeOp(view: TableView, tx: WriteTxn | null, { Verb, Node: input }: TxnNodeOp['Node']): TxnResult[] {
  const nodes = view.table<NodeRow>(NODES);
  const current = (): NodeRow | undefined =>
    input.ID ? [...nodes.by('id', input.ID.toLowerCase())][0] : nodes.get(nodeKey(input.Node));
  const { ModifyIndex, ...row } = input;
  switch (Verb) {
    case 'get': {
      const n = current();
      return n ? [{ Node: n }] : failOp(`node ${q(input.Node)} doesn't exist`);
    }
    case 'set':
      ensureNodeTxn(writer(tx, Verb), row);
      return [{ Node: current()! }];
    case 'cas':
      if (!casAllowed(nodes.get(nodeKey(input.Node)), ModifyIndex)) failOp(`failed to set node ${q(input.Node)}, index is stale`);
      ensureNodeTxn(writer(tx, Verb), row);
      return [{ Node: current()! }];
    case 'delete':
      deleteNodeTxn(writer(tx, Verb), input.Node);
      return [];
    case 'delete-cas': {
      const n = nodes.get(nodeKey(input.Node));
      if (!n || n.ModifyIndex !== ModifyIndex) failOp(`failed to delete node ${q(input.Node)}, index is stale`);
      deleteNodeTxn(writer(tx, Verb), input.Node);
      return [];
    }
    default:
      return failOp(`unknown Node verb ${q(Verb)}`);
  }
}

function serviceOp(view: TableView, tx: WriteTxn | null, { Verb, Node: node, Service: input }: TxnServiceOp['Service']): TxnResult[] {
  const services = view.table<ServiceRow>(SERVICES);
  const current = (): ServiceRow | undefined => services.get(serviceKey(node, input.ID));
  const { ModifyIndex, ...row } = input;
  switch (Verb) {
    case 'get': {
      const s = current();
      return s ? [{ Service: s }] : failOp(`service ${q(input.ID)} on node ${q(node)} doesn't exist`);
    }
    case 'set':
      ensureServiceTxn(writer(tx, Verb), node, row);
      return [{ Service: current()! }];
    case 'cas':
      if (!casAllowed(current(), ModifyIndex)) failOp(`failed to set service ${q(input.ID)} on node ${q(node)}, index is stale`);
      ensureServiceTxn(writer(tx, Verb), node, row);
      return [{ Service: current()! }];
    case 'delete':
      deleteServiceTxn(writer(tx, Verb), node, input.ID);
      return [];
    case 'delete-cas': {
      const s = current();
      if (!s || s.ModifyIndex !== ModifyIndex) failOp(`failed to delete service ${q(input.ID)} on node ${q(node)}, index is stale`);
      deleteServiceTxn(writer(tx, Verb), node, input.ID);
      return [];
    }
    default:
      return failOp(`unknown Service verb ${q(Verb)}`);
  }
}

function checkOp(view: TableView, tx: WriteTxn | null, { Verb, Check: input }: TxnCheckOp['Check']): TxnResult[] {
  const checks = view.table<CheckRow>(CHECKS);
  const current = (): CheckRow | undefined => checks.get(checkKey(input.Node, input.CheckID));
  const { ModifyIndex, Node: node, ...row } = input;
  switch (Verb) {
    case 'get': {
      const c = current();
      return c ? [{ Check: c }] : failOp(`check ${q(input.CheckID)} on node ${q(node)} doesn't exist`);
    }
    case 'set':
      ensureCheckTxn(writer(tx, Verb), node, row);
      return [{ Check: current()! }];
    case 'cas':
      if (!casAllowed(current(), ModifyIndex)) failOp(`failed to set check ${q(input.CheckID)} on node ${q(node)}, index is stale`);
      ensureCheckTxn(writer(tx, Verb), node, row);
      return [{ Check: current()! }];
    case 'delete':
      deleteCheckTxn(writer(tx, Verb), node, input.CheckID);
      return [];
    case 'delete-cas': {
      const c = current();
      if (!c || c.ModifyIndex !== ModifyIndex) failOp(`failed to delete check ${q(input.CheckID)} on node ${q(node)}, index is stale`);
      deleteCheckTxn(writer(tx, Verb), node, input.CheckID);
      return [];
    }
    default:
      return failOp(`unknown Check verb ${q(Verb)}`);
  }
}

export function txnCatalogOp(view: TableView, tx: WriteTxn | null, op: TxnNodeOp | TxnServiceOp | TxnCheckOp): TxnResult[] {
  if ('Node' in op) return nodeOp(view, tx, op.Node);
  if ('Service' in op) return serviceOp(view, tx, op.Service);
  return checkOp(view, tx, op.Check);
}
