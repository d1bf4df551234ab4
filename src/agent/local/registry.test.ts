import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigDefinitions } from './config-definitions.js';
import { LocalPersistence } from './persist.js';
import { CriticalServiceReaper } from './reaper.js';
import { LocalRegistry } from './registry.js';
import { CheckRunners } from './runners.js';
import { LocalState } from './state.js';

const log = pino({ level: 'silent' });
const dirs: string[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((f) => f());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function agent(dataDir: string | null = null) {
  const state = new LocalState({ nodeName: 'n1', checkUpdateIntervalMs: 0 });
  const runners = new CheckRunners({ state, log, scriptChecksEnabled: () => false });
  const registry = new LocalRegistry({
    state,
    runners,
    persistence: dataDir ? new LocalPersistence(dataDir) : null,
    sidecarRange: { min: 21000, max: 21255 },
    scriptChecksEnabled: () => false,
    log,
  });
  cleanups.push(() => runners.stopAll());
  return { state, runners, registry };
}

const remote = { source: 'remote' as const, token: '' };

describe('LocalRegistry', () => {
  it('registers a service with its checks, their IDs defaulted as Consul does', () => {
    const { state, registry } = agent();
    registry.registerService({ name: 'web', port: 80, checks: [{ ttl: '30s' }, { ttl: '30s', status: 'passing' }] }, remote);
    expect(state.checksOf('web').map((c) => [c.check.CheckID, c.check.Status, c.check.ServiceName])).toEqual([
      ['service:web:1', 'critical', 'web'],
      ['service:web:2', 'passing', 'web'],
    ]);
  });

  it('changes nothing when any part of a registration is bad', () => {
    const { state, registry } = agent();
    expect(() => registry.registerService({ name: 'web', checks: [{ ttl: '30s' }, { http: 'http://x', interval: 'soon' }] }, remote)).toThrow();
    expect(() => registry.registerService({ name: 'web', check: { args: ['true'], interval: '1s' } }, remote)).toThrow(/Scripts are disabled/);
    expect(state.allServices()).toEqual([]);
    expect(state.allChecks()).toEqual([]);
  });

  it('keeps a re-registered check status, and removes missing checks only when asked', () => {
    const { state, registry } = agent();
    registry.registerService({ name: 'web', checks: [{ id: 'a', ttl: '30s' }, { id: 'b', ttl: '30s' }] }, remote);
    registry.ttlUpdate('a', 'passing', 'ok');
    registry.registerService({ name: 'web', tags: ['x'], checks: [{ id: 'a', ttl: '30s' }] }, remote);
    expect(state.check('a')?.check).toMatchObject({ Status: 'passing', Output: 'ok', ServiceTags: ['x'] });
    expect(state.check('b')).toBeDefined();
    registry.registerService({ name: 'web', checks: [{ id: 'a', ttl: '30s' }] }, { ...remote, replaceExistingChecks: true });
    expect(state.check('b')).toBeUndefined();
  });

  it('expands and removes a sidecar with its parent', () => {
    const { state, registry } = agent();
    registry.registerService({ name: 'web', port: 8080, connect: { sidecar_service: {} } }, remote);
    expect(state.service('web-sidecar-proxy')?.service.Port).toBe(21000);
    expect(state.checksOf('web-sidecar-proxy').map((c) => c.check.Type)).toEqual(['tcp', 'alias']);
    registry.deregisterService('web');
    expect(state.allServices()).toEqual([]);
    expect(state.allChecks()).toEqual([]);
  });

  it('puts a node and a service into maintenance with critical checks', () => {
    const { state, registry } = agent();
    registry.registerService({ name: 'web' }, remote);
    registry.enableNodeMaintenance('', '');
    registry.enableServiceMaintenance('web', 'upgrading', '');
    expect(state.check('_node_maintenance')?.check).toMatchObject({ Status: 'critical', Type: 'maintenance', Name: 'Node Maintenance Mode' });
    expect(state.check('_service_maintenance:web')?.check).toMatchObject({ ServiceID: 'web', Notes: 'upgrading' });
    expect(() => registry.enableServiceMaintenance('nope', '', '')).toThrow('No service registered with ID "nope"');
    registry.disableNodeMaintenance();
    expect(state.check('_node_maintenance')).toBeUndefined();
  });

  it('restores API registrations, sidecar ports and TTL states from the data dir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-local-'));
    dirs.push(dir);
    const first = agent(dir);
    first.registry.registerService({ name: 'web', port: 80, check: { id: 'beat', ttl: '1h' }, connect: { sidecar_service: {} } }, remote);
    first.registry.ttlUpdate('beat', 'passing', 'fine');
    first.registry.enableNodeMaintenance('patching', '');
    first.runners.stopAll();

    const second = agent(dir);
    second.registry.restore();
    expect(second.state.service('web-sidecar-proxy')).toMatchObject({ sidecarOf: 'web', service: { Port: 21000 } });
    expect(second.state.check('beat')?.check).toMatchObject({ Status: 'passing', Output: 'fine' });
    expect(second.state.check('_node_maintenance')?.check.Notes).toBe('patching');
    second.registry.deregisterService('web');
    const third = agent(dir);
    third.registry.restore();
    expect(third.state.allServices()).toEqual([]);
  });

  it('applies config definitions: added, changed, removed, unchanged left alone', () => {
    const { state, registry } = agent();
    const defs = new ConfigDefinitions(registry, state);
    expect(defs.apply([{ name: 'a' }, { name: 'b', port: 1 }], [{ name: 'node-ttl', ttl: '1m' }], '')).toEqual({
      added: ['a', 'b', 'node-ttl'],
      changed: [],
      removed: [],
    });
    const a = state.service('a');
    expect(defs.apply([{ port: 2, name: 'b' }, { name: 'c' }, { name: 'a' }], [], '')).toEqual({ added: ['c'], changed: ['b'], removed: ['node-ttl'] });
    expect(state.service('a')).toBe(a);
    expect(state.service('b')?.service.Port).toBe(2);
    expect(() => defs.apply([{ name: 'd' }, { port: 1 }], [], '')).toThrow('services[1]: Missing service name');
    expect(state.service('d')).toBeUndefined();
    defs.apply([], [], '');
    expect(state.allServices()).toEqual([]);
  });

  it('reaps a service whose check stayed critical past deregister_critical_service_after', () => {
    const { state, registry } = agent();
    registry.registerService({ name: 'web', check: { ttl: '1h', deregister_critical_service_after: '2s' } }, remote);
    const reaper = new CriticalServiceReaper(state, registry, log);
    const now = Date.now();
    expect(reaper.reap(now + 1000)).toEqual([]);
    expect(reaper.reap(now + 2500)).toEqual(['web']);
    expect(state.service('web')).toBeUndefined();
  });
});
