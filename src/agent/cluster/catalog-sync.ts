import { createHash } from 'node:crypto';
import { nodeChecks, nodeServices, SERF_CHECK_ID, type CheckRow, type ServiceInput, type ServiceRow, type StateStore, type SyncOp } from '../../state/index.js';
import type { NodeSyncRequest, NodeSyncResult } from '../anti-entropy.js';
import { canonicalJson } from '../canonical-json.js';

/** The service every server registers for itself (`consul.service.consul`); agents never own it. */
export const CONSUL_SERVICE_ID = 'consul';

const serviceBody = ({ Node: _n, CreateIndex: _c, ModifyIndex: _m, ...rest }: ServiceRow): ServiceInput => rest;
const checkBody = ({ Node: _n, ServiceName: _s, ServiceTags: _t, CreateIndex: _c, ModifyIndex: _m, ...rest }: CheckRow) => rest;

/**
 * Fingerprint of what an agent owns of its node in the catalog: every service and check
 * (but the server-owned serfHealth and consul service) with its modify index. Any write
 * by someone else changes it.
 */
export function nodeDigest(store: StateStore, node: string): string {
  const parts: string[] = [];
  for (const s of nodeServices(store, null, node).services) if (s.ID !== CONSUL_SERVICE_ID) parts.push(`s:${s.ID}@${s.ModifyIndex}`);
  for (const c of nodeChecks(store, null, node).checks) if (c.CheckID !== SERF_CHECK_ID) parts.push(`c:${c.CheckID}@${c.ModifyIndex}`);
  return createHash('sha256').update(parts.sort().join('\n')).digest('hex').slice(0, 16);
}

/**
 * Makes the catalog's copy of one agent's node equal to what the agent says (Consul's
 * anti-entropy, decided on the server in one step): services and checks it does not
 * know are removed, the rest written when they differ. Nothing differs → nothing is
 * written, not even a log entry. Services with EnableTagOverride keep the catalog's tags.
 */
export async function applyNodeSync(store: StateStore, req: NodeSyncRequest): Promise<NodeSyncResult> {
  const node = req.Node.Node;
  const current = nodeServices(store, null, node);
  const currentChecks = nodeChecks(store, null, node).checks;
  const byId = new Map(current.services.map((s) => [s.ID, s]));
  const tagOverrides: Record<string, string[]> = {};

  const services: ServiceInput[] = [];
  for (const wanted of req.Services) {
    const existing = byId.get(wanted.ID);
    let s = wanted;
    if (wanted.EnableTagOverride && existing) {
      s = { ...wanted, Tags: existing.Tags };
      tagOverrides[wanted.ID] = existing.Tags;
    }
    if (!existing || canonicalJson(serviceBody(existing)) !== canonicalJson(s)) services.push(s);
  }
  const wantedServices = new Set(req.Services.map((s) => s.ID));
  const deleteServices = current.services.filter((s) => !wantedServices.has(s.ID) && s.ID !== CONSUL_SERVICE_ID).map((s) => s.ID);

  const checksById = new Map(currentChecks.map((c) => [c.CheckID, c]));
  const checks = req.Checks.filter((c) => {
    const existing = checksById.get(c.CheckID);
    return !existing || canonicalJson(checkBody(existing)) !== canonicalJson(c);
  });
  const wantedChecks = new Set(req.Checks.map((c) => c.CheckID));
  const deleteChecks = currentChecks.filter((c) => !wantedChecks.has(c.CheckID) && c.CheckID !== SERF_CHECK_ID).map((c) => c.CheckID);

  const nodeRow = current.node;
  const nodeChanged = !nodeRow || canonicalJson({ ...nodeRow, CreateIndex: 0, ModifyIndex: 0 }) !== canonicalJson({ ...req.Node, CreateIndex: 0, ModifyIndex: 0 });
  if (nodeChanged || services.length || checks.length || deleteServices.length || deleteChecks.length) {
    const op: SyncOp = { type: 'catalog.sync', Node: req.Node, Services: services, Checks: checks, DeleteServices: deleteServices, DeleteChecks: deleteChecks };
    await store.apply(op);
  }
  return { Digest: nodeDigest(store, node), TagOverrides: tagOverrides };
}
