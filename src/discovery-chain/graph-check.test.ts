import { describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, allTables, configEntryGet, configEntryList, decodeConfigEntry } from '../state/index.js';
import { affectedChains, readDiscoveryChain, watchedConfigView } from './index.js';
import { WatchSet } from '../state/index.js';

async function openStore(): Promise<StateStore> {
  const store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  return store;
}

const write = (store: StateStore, raw: Record<string, unknown>) => store.apply({ type: 'config.set', Entry: decodeConfigEntry(raw) });
const del = (store: StateStore, kind: string, name: string) => store.apply({ type: 'config.delete', Kind: kind, Name: name });
const http = (name: string) => ({ Kind: 'service-defaults', Name: name, Protocol: 'http' });
const router = { Kind: 'service-router', Name: 'web', Routes: [{ Match: { HTTP: { PathPrefix: '/api' } }, Destination: { Service: 'api', ServiceSubset: 'v1' } }] };
const apiResolver = { Kind: 'service-resolver', Name: 'api', Subsets: { v1: { Filter: 'Service.Meta.version == 1' } } };

describe('write-time checks of the chains an entry is part of', () => {
  it('refuses a router on a tcp service and stores nothing', async () => {
    const store = await openStore();
    await expect(write(store, { Kind: 'service-router', Name: 'web', Routes: [] })).rejects.toThrow(
      'discovery chain "web" uses a protocol "tcp" that does not permit advanced routing or splitting behavior',
    );
    expect(configEntryList(store, null, 'service-router').entries).toEqual([]);
  });

  it('refuses a protocol change or delete of service-defaults, or proxy-defaults, that would break a router', async () => {
    const store = await openStore();
    for (const e of [http('web'), http('api'), apiResolver, router]) await write(store, e);
    await expect(write(store, { Kind: 'service-defaults', Name: 'web', Protocol: 'tcp' })).rejects.toThrow(
      'discovery chain "web" uses inconsistent protocols; service "api" has "http" which is not "tcp"',
    );
    await expect(write(store, { Kind: 'service-defaults', Name: 'api', Protocol: 'grpc' })).rejects.toThrow(
      'discovery chain "web" uses inconsistent protocols; service "api" has "grpc" which is not "http"',
    );
    await expect(del(store, 'service-defaults', 'web')).rejects.toThrow('uses inconsistent protocols');
    expect(configEntryGet(store, null, 'service-defaults', 'web').entry?.Protocol).toBe('http');

    // With the protocol from proxy-defaults instead, the global entry is what is refused.
    await write(store, { Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http' } });
    await del(store, 'service-defaults', 'web');
    await del(store, 'service-defaults', 'api');
    await expect(write(store, { Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'tcp' } })).rejects.toThrow('does not permit advanced routing');
    await expect(del(store, 'proxy-defaults', 'global')).rejects.toThrow('does not permit advanced routing');
    // Unrelated services may still change.
    await write(store, { Kind: 'service-defaults', Name: 'billing', Protocol: 'tcp' });
  });

  it('refuses removing a subset a route uses, and a redirect loop made in two writes', async () => {
    const store = await openStore();
    for (const e of [http('web'), http('api'), apiResolver, router]) await write(store, e);
    await expect(write(store, { Kind: 'service-resolver', Name: 'api' })).rejects.toThrow('service "api" does not have a subset named "v1"');
    await expect(del(store, 'service-resolver', 'api')).rejects.toThrow('does not have a subset named "v1"');

    await write(store, { Kind: 'service-resolver', Name: 'a', Redirect: { Service: 'b' } });
    await expect(write(store, { Kind: 'service-resolver', Name: 'b', Redirect: { Service: 'a' } })).rejects.toThrow(
      'detected circular resolver redirect: [a.default.default.dc1 -> b.default.default.dc1 -> a.default.default.dc1]',
    );
  });

  it('follows references transitively: a split to a service that redirects to one that turns tcp', async () => {
    const store = await openStore();
    for (const e of ['front', 'mid', 'back'].map(http)) await write(store, e);
    await write(store, { Kind: 'service-resolver', Name: 'mid', Redirect: { Service: 'back' } });
    await write(store, { Kind: 'service-splitter', Name: 'front', Splits: [{ Weight: 50 }, { Weight: 50, Service: 'mid' }] });
    expect(affectedChains(watchedConfigView(store, null), { kind: 'service-defaults', name: 'back' })).toEqual(['back', 'front', 'mid']);
    await expect(write(store, { Kind: 'service-defaults', Name: 'back', Protocol: 'tcp' })).rejects.toThrow('uses inconsistent protocols');
  });
});

describe('reading a chain from the store', () => {
  it('watches exactly the entries the compiler looked at, and reports an index that moves on deletes', async () => {
    const store = await openStore();
    await write(store, http('web'));
    await write(store, http('other'));
    const ws = new WatchSet();
    const first = readDiscoveryChain(store, ws, 'web', { datacenter: 'dc1', trustDomain: 'td.consul' });
    expect(first.chain.StartNode).toBe('resolver:web.default.default.dc1');
    let woke = 0;
    store.hub.subscribe(ws.topics, () => woke++);
    await write(store, { Kind: 'service-defaults', Name: 'other', Protocol: 'grpc' });
    expect(woke).toBe(0);
    await write(store, { Kind: 'service-resolver', Name: 'web', ConnectTimeout: '2s' });
    expect(woke).toBe(1);
    const second = readDiscoveryChain(store, null, 'web', { datacenter: 'dc1', trustDomain: 'td.consul' });
    expect(second.index).toBeGreaterThan(first.index);
    await del(store, 'service-resolver', 'web');
    expect(readDiscoveryChain(store, null, 'web', { datacenter: 'dc1', trustDomain: 'td.consul' }).index).toBeGreaterThan(second.index);
  });
});
