import { describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, allTables, configEntryGet, decodeConfigEntry } from '../index.js';
import { intentionById, intentionExact, intentionList, intentionMatch } from './index.js';

async function openStore(): Promise<StateStore> {
  const store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  return store;
}

const upsert = (Source: string, Destination: string, Value: Record<string, unknown>) => ({ type: 'intention.upsert', Source, Destination, Value });

describe('intentions as service-intentions config entries', () => {
  it('stores one entry per destination with sources in precedence order', async () => {
    const store = await openStore();
    await store.apply(upsert('*', 'db', { Action: 'deny' }));
    await store.apply(upsert('web', 'db', { Action: 'allow', Description: 'web reads' }));
    await store.apply(upsert('web', '*', { Action: 'deny' }));
    const entry = configEntryGet(store, null, 'service-intentions', 'db').entry!;
    expect(entry.Sources).toEqual([
      { Name: 'web', Action: 'allow', Description: 'web reads', Type: 'consul', Precedence: 9 },
      { Name: '*', Action: 'deny', Type: 'consul', Precedence: 8 },
    ]);
    const list = intentionList(store, null).intentions;
    expect(list.map((i) => [i.SourceName, i.DestinationName, i.Precedence])).toEqual([
      ['web', 'db', 9],
      ['*', 'db', 8],
      ['web', '*', 6],
    ]);
    expect(list[0]).toMatchObject({ SourceNS: 'default', DestinationNS: 'default', SourceType: 'consul', Meta: null });
    expect(list[0].ID).toBeUndefined();
  });

  it('matches by destination and by source including wildcards', async () => {
    const store = await openStore();
    await store.apply(upsert('web', '*', { Action: 'deny' }));
    await store.apply(upsert('web', 'db', { Action: 'allow' }));
    await store.apply(upsert('api', 'cache', { Action: 'allow' }));
    const byDest = intentionMatch(store, null, 'destination', ['db', 'other']).matches;
    expect(byDest[0].map((i) => `${i.SourceName}>${i.DestinationName}`)).toEqual(['web>db', 'web>*']);
    expect(byDest[1].map((i) => `${i.SourceName}>${i.DestinationName}`)).toEqual(['web>*']);
    const bySource = intentionMatch(store, null, 'source', ['web']).matches[0];
    expect(bySource.map((i) => i.DestinationName)).toEqual(['db', '*']);
  });

  it('replaces a source on upsert and deletes the entry with its last source', async () => {
    const store = await openStore();
    await store.apply(upsert('web', 'db', { Action: 'allow' }));
    await store.apply(upsert('web', 'db', { Action: 'deny' }));
    expect(intentionExact(store, null, 'web', 'db').intention?.Action).toBe('deny');
    await store.apply({ type: 'intention.delete', Source: 'web', Destination: 'db' });
    expect(configEntryGet(store, null, 'service-intentions', 'db').entry).toBeUndefined();
    // By-name deletion is idempotent.
    expect(await store.apply({ type: 'intention.delete', Source: 'web', Destination: 'db' })).toBe(true);
  });

  it('keeps legacy ID intentions with their meta and times, and refuses duplicates', async () => {
    const store = await openStore();
    const id = '8f2f6f4e-1111-2222-3333-444455556666';
    const Intention = { ID: id, SourceName: 'web', DestinationName: 'db', Action: 'allow', Meta: { owner: 'ops' } };
    await store.apply({ type: 'intention.legacyCreate', Intention, CreatedAt: '2026-01-01T00:00:00Z' });
    expect(intentionById(store, null, id).intention).toMatchObject({ ID: id, Meta: { owner: 'ops' }, CreatedAt: '2026-01-01T00:00:00Z' });
    await expect(store.apply({ type: 'intention.legacyCreate', Intention: { ...Intention, ID: '8f2f6f4e-1111-2222-3333-444455556667' }, CreatedAt: 'x' })).rejects.toThrow(
      'duplicate intention found: default/web => default/db',
    );
    await store.apply({ type: 'intention.legacyUpdate', Intention: { ...Intention, Action: 'deny' }, UpdatedAt: '2026-02-01T00:00:00Z' });
    expect(intentionById(store, null, id).intention).toMatchObject({ Action: 'deny', CreatedAt: '2026-01-01T00:00:00Z', UpdatedAt: '2026-02-01T00:00:00Z' });
    await expect(store.apply({ type: 'intention.legacyUpdate', Intention: { ...Intention, DestinationName: 'other' }, UpdatedAt: 'x' })).rejects.toThrow(
      'Cannot modify Destination',
    );
    await store.apply({ type: 'intention.legacyDelete', ID: id });
    expect(intentionById(store, null, id).intention).toBeUndefined();
    await expect(store.apply({ type: 'intention.legacyDelete', ID: id })).rejects.toThrow(`Cannot delete non-existent intention: '${id}'`);
    expect(() => intentionById(store, null, 'nope')).toThrow('invalid UUID');
  });

  it('validates as Consul does and stores nothing on failure', async () => {
    const store = await openStore();
    await expect(store.apply(upsert('we*b', 'db', { Action: 'allow' }))).rejects.toThrow("Sources[0].Name: wildcard character '*' cannot be used with partial values");
    await expect(store.apply(upsert('web', 'db', { Action: 'maybe' }))).rejects.toThrow("Sources[0].Action must be set to 'allow' or 'deny'");
    const perms = [{ Action: 'allow', HTTP: { PathPrefix: '/admin' } }];
    await expect(store.apply(upsert('web', 'db', { Action: 'allow', Permissions: perms }))).rejects.toThrow('Action must be omitted if Permissions are specified');
    await expect(store.apply(upsert('web', '*', { Permissions: perms }))).rejects.toThrow('cannot be specified on intentions with wildcarded destinations');
    await expect(store.apply(upsert('web', 'db', { Permissions: [{ Action: 'allow', HTTP: { PathPrefix: 'admin' } }] }))).rejects.toThrow(
      "PathPrefix doesn't start with '/'",
    );
    await expect(store.apply(upsert('web', 'db', { Permissions: [{ Action: 'allow', HTTP: {} }] }))).rejects.toThrow('HTTP should not be empty');
    // An L7 intention needs an HTTP-like destination.
    await expect(store.apply(upsert('web', 'db', { Permissions: perms }))).rejects.toThrow(
      'service "db" has protocol "tcp", which is incompatible with L7 intentions permissions',
    );
    expect(intentionList(store, null).intentions).toEqual([]);
  });

  it('accepts L7 permissions once the destination speaks HTTP, and then guards the protocol', async () => {
    const store = await openStore();
    await store.apply({ type: 'config.set', Entry: decodeConfigEntry({ Kind: 'service-defaults', Name: 'db', Protocol: 'http' }) });
    await store.apply(upsert('web', 'db', { Permissions: [{ Action: 'allow', HTTP: { PathPrefix: '/api', Methods: ['get'] } }] }));
    expect(intentionExact(store, null, 'web', 'db').intention?.Permissions).toEqual([{ Action: 'allow', HTTP: { PathPrefix: '/api', Methods: ['GET'] } }]);
    await expect(store.apply({ type: 'config.set', Entry: decodeConfigEntry({ Kind: 'service-defaults', Name: 'db', Protocol: 'tcp' }) })).rejects.toThrow(
      'incompatible with L7 intentions permissions',
    );
    await expect(store.apply({ type: 'config.delete', Kind: 'service-defaults', Name: 'db' })).rejects.toThrow('incompatible with L7');
    expect(configEntryGet(store, null, 'service-defaults', 'db').entry?.Protocol).toBe('http');
    // proxy-defaults can supply the protocol instead.
    await store.apply({ type: 'config.set', Entry: decodeConfigEntry({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http' } }) });
    await store.apply({ type: 'config.delete', Kind: 'service-defaults', Name: 'db' });
  });

  it('writes entries through config.set with legacy fields cleared and sources sorted', async () => {
    const store = await openStore();
    const entry = decodeConfigEntry({
      kind: 'service-intentions',
      name: 'db',
      sources: [
        { name: '*', action: 'deny' },
        { name: 'web', action: 'allow', legacy_id: 'x' },
      ],
    });
    await store.apply({ type: 'config.set', Entry: entry });
    expect(configEntryGet(store, null, 'service-intentions', 'db').entry!.Sources).toEqual([
      { Name: 'web', Action: 'allow', Type: 'consul', Precedence: 9 },
      { Name: '*', Action: 'deny', Type: 'consul', Precedence: 8 },
    ]);
    expect(() => decodeConfigEntry({ Kind: 'service-intentions', Name: 'db', Sources: [{ Name: 'a', Action: 'allow' }, { Name: 'a', Action: 'deny' }] })).toThrow(
      'Sources[1] defines "a" more than once',
    );
    expect(() => decodeConfigEntry({ Kind: 'service-intentions', Name: 'db', Sources: [] })).toThrow('At least one source is required');
  });
});
