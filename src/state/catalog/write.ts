import { WeftError } from '../../lib/errors.js';
import type { WriteTxn } from '../txn.js';
import { connectTarget, type IndexRow } from './tables.js';
import {
  CHECKS,
  INDEXES,
  NODES,
  SERVICES,
  checkKey,
  nodeKey,
  serviceKey,
  type CheckRow,
  type NodeRow,
  type ServiceRow,
} from './types.js';

export type NodeInput = Omit<NodeRow, 'CreateIndex' | 'ModifyIndex'>;
export type ServiceInput = Omit<ServiceRow, 'Node' | 'CreateIndex' | 'ModifyIndex'>;
export type CheckInput = Omit<CheckRow, 'Node' | 'ServiceName' | 'ServiceTags' | 'CreateIndex' | 'ModifyIndex'> &
  Partial<Pick<CheckRow, 'ServiceName' | 'ServiceTags'>>;

/**
 * Other tables react to catalog changes inside the same log entry (sessions die with
 * their node or check). They register here instead of the catalog importing them.
 */
export const catalogHooks = {
  nodeDeleted: [] as ((tx: WriteTxn, node: string) => void)[],
  checkChanged: [] as ((tx: WriteTxn, before: CheckRow | undefined, after: CheckRow | undefined) => void)[],
};

export const serviceIndexKey = (name: string): string => `service.${name.toLowerCase()}`;
export const connectIndexKey = (name: string): string => `connect.${name.toLowerCase()}`;
export const serviceTopic = (name: string): string => `svc:${name.toLowerCase()}`;
export const connectTopic = (name: string): string => `connect:${name.toLowerCase()}`;
export const nodeTopic = (node: string): string => `node:${node.toLowerCase()}`;

/** Rows compare equal when everything but their indexes matches: unchanged registrations write nothing. */
function same<R extends { CreateIndex: number; ModifyIndex: number }>(a: R | undefined, b: Omit<R, 'CreateIndex' | 'ModifyIndex'>): boolean {
  if (!a) return false;
  const { CreateIndex: _c, ModifyIndex: _m, ...rest } = a;
  return JSON.stringify(rest) === JSON.stringify(b);
}

function bumpService(tx: WriteTxn, row: ServiceRow): void {
  tx.put<IndexRow>(INDEXES, { Key: serviceIndexKey(row.Service), Value: tx.index });
  tx.touch(serviceTopic(row.Service));
  const target = connectTarget(row);
  if (target) {
    tx.put<IndexRow>(INDEXES, { Key: connectIndexKey(target), Value: tx.index });
    tx.touch(connectTopic(target));
  }
}

/** A node-level change touches every service on the node: their health answers include node checks. */
function bumpNode(tx: WriteTxn, node: string): void {
  tx.touch(nodeTopic(node));
  for (const s of tx.table<ServiceRow>(SERVICES).by('node', nodeKey(node))) bumpService(tx, s);
}

export function ensureNodeTxn(tx: WriteTxn, input: NodeInput): void {
  const nodes = tx.table<NodeRow>(NODES);
  const existing = nodes.get(nodeKey(input.Node));
  if (input.ID) {
    for (const other of nodes.by('id', input.ID.toLowerCase())) {
      if (nodeKey(other.Node) !== nodeKey(input.Node)) {
        throw new WeftError('BAD_REQUEST', `Failed to reconcile: node ID "${input.ID}" for node "${input.Node}" aliases existing node "${other.Node}"`);
      }
    }
  }
  if (same(existing, input)) return;
  tx.put<NodeRow>(NODES, { ...input, CreateIndex: existing?.CreateIndex ?? tx.index, ModifyIndex: tx.index });
  bumpNode(tx, input.Node);
}

export function ensureServiceTxn(tx: WriteTxn, node: string, input: ServiceInput): void {
  const n = tx.table<NodeRow>(NODES).get(nodeKey(node));
  if (!n) throw new WeftError('BAD_REQUEST', `Missing node registration`);
  const services = tx.table<ServiceRow>(SERVICES);
  const existing = services.get(serviceKey(node, input.ID));
  const candidate = { Node: n.Node, ...input };
  if (same(existing, candidate)) return;
  if (existing && existing.Service.toLowerCase() !== input.Service.toLowerCase()) bumpService(tx, existing);
  const row: ServiceRow = { ...candidate, CreateIndex: existing?.CreateIndex ?? tx.index, ModifyIndex: tx.index };
  tx.put(SERVICES, row);
  bumpService(tx, row);
  // Checks carry the service's name and tags; keep them in step.
  for (const c of [...tx.table<CheckRow>(CHECKS).by('node_service', `${nodeKey(node)}\u0000${input.ID}`)]) {
    if (c.ServiceName !== row.Service || JSON.stringify(c.ServiceTags) !== JSON.stringify(row.Tags)) {
      ensureCheckTxn(tx, n.Node, { ...c, ServiceName: row.Service, ServiceTags: row.Tags });
    }
  }
}

export function ensureCheckTxn(tx: WriteTxn, node: string, input: CheckInput): void {
  const n = tx.table<NodeRow>(NODES).get(nodeKey(node));
  if (!n) throw new WeftError('BAD_REQUEST', `Missing node registration`);
  let serviceName = '';
  let serviceTags: string[] = [];
  let service: ServiceRow | undefined;
  if (input.ServiceID) {
    service = tx.table<ServiceRow>(SERVICES).get(serviceKey(node, input.ServiceID));
    if (!service) throw new WeftError('BAD_REQUEST', `Missing service registration`);
    serviceName = service.Service;
    serviceTags = service.Tags;
  }
  const checks = tx.table<CheckRow>(CHECKS);
  const existing = checks.get(checkKey(node, input.CheckID));
  const candidate: Omit<CheckRow, 'CreateIndex' | 'ModifyIndex'> = {
    Node: n.Node,
    CheckID: input.CheckID,
    Name: input.Name,
    Status: input.Status,
    Notes: input.Notes,
    Output: input.Output,
    ServiceID: input.ServiceID,
    ServiceName: serviceName,
    ServiceTags: serviceTags,
    Type: input.Type,
    Interval: input.Interval,
    Timeout: input.Timeout,
    ExposedPort: input.ExposedPort,
    Definition: input.Definition,
  };
  if (same(existing, candidate)) return;
  const row: CheckRow = { ...candidate, CreateIndex: existing?.CreateIndex ?? tx.index, ModifyIndex: tx.index };
  tx.put(CHECKS, row);
  if (service) bumpService(tx, service);
  else bumpNode(tx, n.Node);
  for (const hook of catalogHooks.checkChanged) hook(tx, existing, row);
}

export function deleteCheckTxn(tx: WriteTxn, node: string, checkId: string): boolean {
  const existing = tx.delete<CheckRow>(CHECKS, checkKey(node, checkId));
  if (!existing) return false;
  const service = existing.ServiceID ? tx.table<ServiceRow>(SERVICES).get(serviceKey(node, existing.ServiceID)) : undefined;
  if (service) bumpService(tx, service);
  else bumpNode(tx, node);
  for (const hook of catalogHooks.checkChanged) hook(tx, existing, undefined);
  return true;
}

export function deleteServiceTxn(tx: WriteTxn, node: string, serviceId: string): boolean {
  const existing = tx.table<ServiceRow>(SERVICES).get(serviceKey(node, serviceId));
  if (!existing) return false;
  for (const c of [...tx.table<CheckRow>(CHECKS).by('node_service', `${nodeKey(node)}\u0000${serviceId}`)]) deleteCheckTxn(tx, node, c.CheckID);
  tx.delete(SERVICES, serviceKey(node, serviceId));
  bumpService(tx, existing);
  return true;
}

export function deleteNodeTxn(tx: WriteTxn, node: string): boolean {
  const existing = tx.table<NodeRow>(NODES).get(nodeKey(node));
  if (!existing) return false;
  for (const c of [...tx.table<CheckRow>(CHECKS).by('node', nodeKey(node))]) deleteCheckTxn(tx, node, c.CheckID);
  for (const s of [...tx.table<ServiceRow>(SERVICES).by('node', nodeKey(node))]) deleteServiceTxn(tx, node, s.ID);
  tx.delete(NODES, nodeKey(node));
  tx.touch(nodeTopic(node));
  for (const hook of catalogHooks.nodeDeleted) hook(tx, existing.Node);
  return true;
}
