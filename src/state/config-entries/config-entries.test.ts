import { describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, WatchSet, allTables } from '../index.js';
import { configEntryGet, configEntryList, decodeConfigEntry } from './index.js';

async function openStore(): Promise<StateStore> {
  const store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  return store;
}

describe('config entries', () => {
  it('decodes keys case-insensitively and in snake_case, and refuses unknown keys and kinds', () => {
    expect(decodeConfigEntry({ kind: 'service-defaults', name: 'web', protocol: 'HTTP', meta: { team: 'a' } })).toEqual({
      Kind: 'service-defaults',
      Name: 'web',
      Protocol: 'http',
      Meta: { team: 'a' },
      // Empty structs Consul's JSON always carries.
      TransparentProxy: {},
      MeshGateway: {},
      Expose: {},
    });
    expect(() => decodeConfigEntry({ Kind: 'service-defaults', Name: 'web', Bogus: 1 })).toThrow('invalid config key "Bogus"');
    expect(() => decodeConfigEntry({ Kind: 'nope', Name: 'x' })).toThrow('invalid config entry kind: nope');
    expect(() => decodeConfigEntry({ Name: 'x' })).toThrow('Kind value in payload is missing');
    expect(() => decodeConfigEntry({ Kind: 'service-defaults', Name: 'web', Protocol: 'udp' })).toThrow('invalid value for Protocol: "udp"');
    expect(() => decodeConfigEntry({ Kind: 'proxy-defaults', Name: 'mine', Config: {} })).toThrow('only "global" is supported');
    expect(() => decodeConfigEntry({ Kind: 'service-defaults', Name: '' })).toThrow('Name is required');
  });

  it('stores entries by kind and name with indexes, check-and-set and list indexes that move on delete', async () => {
    const store = await openStore();
    const entry = decodeConfigEntry({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    expect(await store.apply({ type: 'config.set', Entry: entry, Cas: 0 })).toBe(true);
    expect(await store.apply({ type: 'config.set', Entry: entry, Cas: 0 })).toBe(false);
    const got = configEntryGet(store, null, 'service-defaults', 'web');
    expect(got.entry).toMatchObject({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    const created = got.entry!.CreateIndex;
    expect(await store.apply({ type: 'config.set', Entry: { ...entry, Protocol: 'grpc' }, Cas: got.entry!.ModifyIndex })).toBe(true);
    const updated = configEntryGet(store, null, 'service-defaults', 'web').entry!;
    expect(updated).toMatchObject({ Protocol: 'grpc', CreateIndex: created });
    expect(updated.ModifyIndex).toBeGreaterThan(created);

    await store.apply({ type: 'config.set', Entry: decodeConfigEntry({ Kind: 'service-defaults', Name: 'api' }) });
    expect(configEntryList(store, null, 'service-defaults').entries.map((e) => e.Name)).toEqual(['api', 'web']);

    const ws = new WatchSet();
    const before = configEntryList(store, ws, 'service-defaults').index;
    let woke = false;
    store.hub.subscribe(ws.topics, () => (woke = true));
    expect(await store.apply({ type: 'config.delete', Kind: 'service-defaults', Name: 'api', Cas: 999 })).toBe(false);
    expect(await store.apply({ type: 'config.delete', Kind: 'service-defaults', Name: 'api' })).toBe(true);
    expect(woke).toBe(true);
    expect(configEntryList(store, null, 'service-defaults').index).toBeGreaterThan(before);
    expect(configEntryGet(store, null, 'service-defaults', 'api').entry).toBeUndefined();
  });

  it('refuses an invalid entry in the op handler too, storing nothing', async () => {
    const store = await openStore();
    await expect(store.apply({ type: 'config.set', Entry: { Kind: 'proxy-defaults', Name: 'other' } })).rejects.toThrow('only "global"');
    expect(configEntryList(store, null, 'proxy-defaults').entries).toEqual([]);
  });
});
