import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CheckRow } from '../../state/index.js';
import { LocalState } from './state.js';

const row = (id: string, status: CheckRow['Status'] = 'critical', serviceId = ''): CheckRow => ({
  Node: '',
  CheckID: id,
  Name: id,
  Status: status,
  Notes: '',
  Output: '',
  ServiceID: serviceId,
  ServiceName: '',
  ServiceTags: [],
  Type: 'ttl',
  Interval: '',
  Timeout: '',
  ExposedPort: 0,
  Definition: {},
  CreateIndex: 0,
  ModifyIndex: 0,
});

afterEach(() => vi.useRealTimers());

describe('LocalState', () => {
  it('syncs status changes at once and output-only changes after check_update_interval', () => {
    vi.useFakeTimers();
    const state = new LocalState({ nodeName: 'n1', checkUpdateIntervalMs: 60_000 });
    const changes = vi.fn();
    state.on('changed', changes);
    state.putCheck({ check: row('c'), source: 'remote', token: '', def: null, raw: null });
    state.updateCheck('c', 'passing', 'first');
    expect(changes).toHaveBeenCalledTimes(2);
    state.updateCheck('c', 'passing', 'second');
    expect(changes).toHaveBeenCalledTimes(2);
    // The agent shows the new output; the catalog keeps the synced one for now.
    expect(state.check('c')?.check.Output).toBe('second');
    expect(state.nodeState().checks[0].Output).toBe('first');
    vi.advanceTimersByTime(90_001);
    expect(changes).toHaveBeenCalledTimes(3);
    expect(state.nodeState().checks[0].Output).toBe('second');
    state.updateCheck('c', 'critical', 'down');
    expect(state.nodeState().checks[0]).toMatchObject({ Status: 'critical', Output: 'down' });
    state.close();
  });

  it('tracks how long a check has been critical', () => {
    const state = new LocalState({ nodeName: 'n1' });
    const t0 = Date.now();
    state.putCheck({ check: row('c', 'passing'), source: 'remote', token: '', def: null, raw: null });
    expect(state.criticalFor('c')).toBeNull();
    state.updateCheck('c', 'critical', 'x', t0);
    state.updateCheck('c', 'critical', 'y', t0 + 500);
    expect(state.criticalFor('c', t0 + 1000)).toBe(1000);
    state.updateCheck('c', 'warning', 'z');
    expect(state.criticalFor('c')).toBeNull();
    state.close();
  });

  it('gives checks their service name and tags, and follows tag changes', () => {
    const state = new LocalState({ nodeName: 'n1' });
    const svc = { Kind: '' as const, ID: 'w', Service: 'web', Tags: ['a'], Address: '', TaggedAddresses: {}, Meta: {}, Port: 1, SocketPath: '', Weights: { Passing: 1, Warning: 1 }, EnableTagOverride: false, Proxy: { MeshGateway: {}, Expose: {} }, Connect: {} };
    state.putService({ service: svc, source: 'remote', token: '' }, [{ check: row('c', 'passing', 'w'), source: 'remote', token: '', def: null, raw: null }]);
    expect(state.check('c')?.check).toMatchObject({ Node: 'n1', ServiceName: 'web', ServiceTags: ['a'] });
    state.putService({ service: { ...svc, Tags: ['b'] }, source: 'remote', token: '' });
    expect(state.check('c')?.check.ServiceTags).toEqual(['b']);
    state.close();
  });
});
