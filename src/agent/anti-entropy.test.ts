import pino from 'pino';
import type { RuntimeConfig } from '../config/index.js';
import { describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, allTables, nodeChecks, nodeServices, type NodeInput } from '../state/index.js';
import { AntiEntropy, scaleFactor, type CatalogSink, type NodeSyncRequest } from './anti-entropy.js';
import { serfHealthCheck, consulService } from './cluster/catalog-entries.js';
import { applyNodeSync, nodeDigest } from './cluster/catalog-sync.js';
import { CheckRunners } from './local/runners.js';
import { LocalRegistry } from './local/registry.js';
import { LocalState } from './local/state.js';

const log = pino({ level: 'silent' });
const node: NodeInput = { ID: '', Node: 'n1', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} };
const consul = consulService({ ports: { server: 8300 } } as RuntimeConfig);

async function setup() {
  const store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  const state = new LocalState({ nodeName: 'n1' });
  const runners = new CheckRunners({ state, log, scriptChecksEnabled: () => false });
  const registry = new LocalRegistry({ state, runners, persistence: null, sidecarRange: { min: 21000, max: 21255 }, scriptChecksEnabled: () => false, log });
  const syncs: NodeSyncRequest[] = [];
  const sink: CatalogSink = { sync: (req) => (syncs.push(req), applyNodeSync(store, req)) };
  const ae = new AntiEntropy({ state, node: () => node, sink: () => sink, clusterSize: () => 1, log });
  return { store, state, registry, ae, syncs, runners };
}

describe('anti-entropy', () => {
  it('scales the full-sync period with the cluster as Consul does', () => {
    expect([1, 128, 129, 256, 257, 8192].map(scaleFactor)).toEqual([1, 1, 2, 2, 3, 7]);
  });

  it('coalesces changes made in one tick into one sync', async () => {
    const { registry, ae, syncs, store, runners } = await setup();
    ae.start();
    registry.registerService({ name: 'a' }, { source: 'remote', token: '' });
    registry.registerService({ name: 'b' }, { source: 'remote', token: '' });
    await ae.syncSoon();
    expect(syncs).toHaveLength(1);
    expect(nodeServices(store, null, 'n1').services.map((s) => s.ID)).toEqual(['a', 'b']);
    ae.stop();
    runners.stopAll();
  });

  it('writes nothing when nothing differs, and repairs a catalog edit', async () => {
    const { registry, ae, store, runners } = await setup();
    ae.start();
    registry.registerService({ name: 'web', check: { id: 'beat', ttl: '1h' } }, { source: 'remote', token: '' });
    await ae.syncSoon();
    const index = store.index;
    await ae.syncSoon();
    expect(store.index).toBe(index);

    // Someone edits the agent's node behind its back: the server's fingerprint changes.
    await store.apply({ type: 'catalog.deregister', Node: 'n1', ServiceID: 'web' });
    await store.apply({ type: 'catalog.register', Node: node, Service: { ...consul, ID: 'stray', Service: 'stray' } });
    expect(nodeDigest(store, 'n1')).not.toBe(ae.lastDigest);
    ae.noteDigest(nodeDigest(store, 'n1'));
    await ae.syncSoon();
    expect(nodeServices(store, null, 'n1').services.map((s) => s.ID)).toEqual(['web']);
    expect(nodeChecks(store, null, 'n1').checks.map((c) => c.CheckID)).toEqual(['beat']);
    ae.stop();
    runners.stopAll();
  });

  it('never removes the server-owned serfHealth check and consul service', async () => {
    const { store } = await setup();
    await store.apply({ type: 'catalog.register', Node: node, Service: consul, Checks: [serfHealthCheck('passing')] });
    await applyNodeSync(store, { Node: node, Services: [], Checks: [] });
    expect(nodeServices(store, null, 'n1').services.map((s) => s.ID)).toEqual(['consul']);
    expect(nodeChecks(store, null, 'n1').checks.map((c) => c.CheckID)).toEqual(['serfHealth']);
  });

  it('keeps catalog tags for services with EnableTagOverride', async () => {
    const { store, registry, ae, state, runners } = await setup();
    ae.start();
    registry.registerService({ name: 'web', tags: ['agent'], enable_tag_override: true }, { source: 'remote', token: '' });
    await ae.syncSoon();
    const row = nodeServices(store, null, 'n1').services[0];
    const { Node: _n, CreateIndex: _c, ModifyIndex: _m, ...svc } = row;
    await store.apply({ type: 'catalog.register', Node: node, Service: { ...svc, Tags: ['edited'] } });
    await ae.syncSoon();
    expect(nodeServices(store, null, 'n1').services[0].Tags).toEqual(['edited']);
    expect(state.service('web')?.service.Tags).toEqual(['edited']);
    ae.stop();
    runners.stopAll();
  });
});
