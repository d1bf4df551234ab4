import { describe, expect, it } from 'vitest';
import type { CheckRow, HealthEntry, NodeRow, ServiceRow } from '../../state/index.js';
import { sortedSummaries, summarizeServices } from './internal-ui-summary.js';

const node = (name: string): NodeRow => ({ ID: '', Node: name, Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {}, CreateIndex: 1, ModifyIndex: 1 });

const service = (id: string, name: string, extra: Partial<ServiceRow> = {}): ServiceRow => ({
  Node: '',
  Kind: '',
  ID: id,
  Service: name,
  Tags: [],
  Address: '',
  TaggedAddresses: {},
  Meta: {},
  Port: 80,
  SocketPath: '',
  Weights: { Passing: 1, Warning: 1 },
  EnableTagOverride: false,
  Proxy: { MeshGateway: {}, Expose: {} },
  Connect: {},
  CreateIndex: 1,
  ModifyIndex: 1,
  ...extra,
});

const check = (nodeName: string, id: string, status: CheckRow['Status'], serviceId = ''): CheckRow => ({
  Node: nodeName,
  CheckID: id,
  Name: id,
  Status: status,
  Notes: '',
  Output: '',
  ServiceID: serviceId,
  ServiceName: '',
  ServiceTags: [],
  Type: '',
  Interval: '',
  Timeout: '',
  ExposedPort: 0,
  Definition: {},
  CreateIndex: 1,
  ModifyIndex: 1,
});

const entry = (n: string, s: ServiceRow, checks: CheckRow[]): HealthEntry => ({ Node: node(n), Service: { ...s, Node: n }, Checks: checks });

describe('summarizeServices', () => {
  it('counts each distinct check once, node checks included, and merges tags and nodes', () => {
    const serf = check('a', 'serfHealth', 'passing');
    const entries = [
      entry('a', service('web-1', 'web', { Tags: ['v2', 'http'] }), [serf, check('a', 'service:web-1', 'passing', 'web-1')]),
      entry('a', service('web-2', 'web', { Tags: ['v1'] }), [serf, check('a', 'service:web-2', 'critical', 'web-2')]),
      entry('b', service('web-1', 'web', { Tags: ['v2'] }), [check('b', 'serfHealth', 'warning'), check('b', 'service:web-1', 'passing', 'web-1')]),
    ];
    const [web] = sortedSummaries(summarizeServices(entries).summaries);
    expect(web).toMatchObject({ Name: 'web', Datacenter: 'dc1', InstanceCount: 3, Nodes: ['a', 'b'], Tags: ['http', 'v1', 'v2'], ChecksPassing: 3, ChecksWarning: 1, ChecksCritical: 1 });
    expect(web).not.toHaveProperty('Kind');
  });

  it("folds a proxy's checks into the service it fronts and marks that service as proxied", () => {
    const proxy = service('web-sidecar-proxy', 'web-sidecar-proxy', { Kind: 'connect-proxy', Proxy: { DestinationServiceName: 'web', MeshGateway: {}, Expose: {} } });
    const { summaries, hasProxy } = summarizeServices([entry('a', service('web', 'web'), []), entry('a', proxy, [check('a', 'sidecar', 'critical', 'web-sidecar-proxy')])]);
    expect(hasProxy.has('web')).toBe(true);
    expect(summaries.get('web')).toMatchObject({ ChecksCritical: 1, InstanceCount: 1 });
    expect(summaries.get('web-sidecar-proxy')).toMatchObject({ Kind: 'connect-proxy', ChecksCritical: 1 });
    expect(sortedSummaries(summaries, true).map((s) => s.Name)).toEqual(['web']);
  });

  it('renders empty lists as null and collects external sources once', () => {
    const s = service('db', 'db', { Meta: { 'external-source': 'kubernetes' } });
    const [db] = sortedSummaries(summarizeServices([entry('a', s, []), entry('b', s, [])]).summaries);
    expect(db).toMatchObject({ Tags: null, ExternalSources: ['kubernetes'], ChecksPassing: 0 });
  });
});
