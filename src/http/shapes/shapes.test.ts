import { describe, expect, it } from 'vitest';
import type { CheckRow, NodeRow, ServiceRow } from '../../state/index.js';
import { agentServiceJson, arrayReply, checkDefinitionJson, healthCheckJson, healthEntryJson, healthEntryText, serviceNodeJson, serviceNodeText } from './catalog.js';

// The rows behind the examples of Consul's reference (§2.1 catalog service entry, §2.2 health entry).
const node: NodeRow = {
  ID: '40e4a748-2192-161a-0510-9bf59fe950b5',
  Node: 'foobar',
  Address: '10.1.10.12',
  Datacenter: 'dc1',
  TaggedAddresses: { lan: '10.1.10.12', wan: '10.1.10.12' },
  Meta: { instance_type: 't2.medium' },
  CreateIndex: 5,
  ModifyIndex: 5,
};
const redis: ServiceRow = {
  Node: 'foobar',
  Kind: '',
  ID: 'redis',
  Service: 'redis',
  Tags: ['primary'],
  Address: '10.1.10.12',
  TaggedAddresses: { lan: { Address: '10.1.10.12', Port: 8000 } },
  Meta: { redis_version: '4.0' },
  Port: 8000,
  SocketPath: '',
  Weights: { Passing: 10, Warning: 1 },
  EnableTagOverride: false,
  Proxy: { MeshGateway: {}, Expose: {} },
  Connect: {},
  CreateIndex: 6,
  ModifyIndex: 6,
};
const check = (over: Partial<CheckRow>): CheckRow => ({
  Node: 'foobar',
  CheckID: '',
  Name: '',
  Status: 'passing',
  Notes: '',
  Output: '',
  ServiceID: '',
  ServiceName: '',
  ServiceTags: [],
  Type: '',
  Interval: '',
  Timeout: '',
  ExposedPort: 0,
  Definition: {},
  CreateIndex: 5,
  ModifyIndex: 5,
  ...over,
});

/** Compares values and the exact key order, since tools diff raw JSON too. */
const sameJson = (actual: unknown, expected: unknown) => expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));

describe('wire shapes', () => {
  it('render a health entry as Consul’s example (§2.2), plus Proxy.Mode and PeerName that current Consul emits', () => {
    const entry = healthEntryJson({
      Node: node,
      Service: redis,
      Checks: [
        check({ CheckID: 'serfHealth', Name: 'Serf Health Status', Output: 'Agent alive and reachable' }),
        check({ CheckID: 'service:redis', Name: "Service 'redis' check", ServiceID: 'redis', ServiceName: 'redis', ServiceTags: ['primary'], Type: 'tcp', Interval: '10s', Timeout: '1s', CreateIndex: 6, ModifyIndex: 6 }),
      ],
    });
    sameJson(entry, {
      Node: { ID: node.ID, Node: 'foobar', Address: '10.1.10.12', Datacenter: 'dc1', TaggedAddresses: { lan: '10.1.10.12', wan: '10.1.10.12' }, Meta: { instance_type: 't2.medium' }, CreateIndex: 5, ModifyIndex: 5 },
      Service: {
        ID: 'redis',
        Service: 'redis',
        Tags: ['primary'],
        Address: '10.1.10.12',
        TaggedAddresses: { lan: { Address: '10.1.10.12', Port: 8000 } },
        Meta: { redis_version: '4.0' },
        Port: 8000,
        Weights: { Passing: 10, Warning: 1 },
        EnableTagOverride: false,
        Proxy: { Mode: '', MeshGateway: {}, Expose: {} },
        Connect: {},
        PeerName: '',
        CreateIndex: 6,
        ModifyIndex: 6,
      },
      Checks: [
        { Node: 'foobar', CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing', Notes: '', Output: 'Agent alive and reachable', ServiceID: '', ServiceName: '', ServiceTags: [], Type: '', Interval: '', Timeout: '', ExposedPort: 0, Definition: {}, CreateIndex: 5, ModifyIndex: 5 },
        { Node: 'foobar', CheckID: 'service:redis', Name: "Service 'redis' check", Status: 'passing', Notes: '', Output: '', ServiceID: 'redis', ServiceName: 'redis', ServiceTags: ['primary'], Type: 'tcp', Interval: '10s', Timeout: '1s', ExposedPort: 0, Definition: {}, CreateIndex: 6, ModifyIndex: 6 },
      ],
    });
  });

  it('render a catalog service entry as Consul’s example (§2.1), with ServiceLocality null as Consul emits it', () => {
    const n: NodeRow = { ...node, ID: '40e4a748-2192-161a-0510-9bf59fe950b5', Node: 't2.320', Address: '192.168.10.10', TaggedAddresses: { lan: '192.168.10.10', wan: '10.0.10.10' }, Meta: { somekey: 'somevalue' }, CreateIndex: 1 };
    const s: ServiceRow = {
      ...redis,
      Node: 't2.320',
      ID: 'web-1',
      Service: 'web',
      Tags: ['prod'],
      Address: '172.17.0.3',
      TaggedAddresses: { lan: { Address: '172.17.0.3', Port: 5000 }, wan: { Address: '198.18.0.1', Port: 512 } },
      Meta: { version: '2' },
      Port: 5000,
      Weights: { Passing: 1, Warning: 1 },
      CreateIndex: 51,
      ModifyIndex: 51,
    };
    sameJson(serviceNodeJson(s, n), {
      ID: '40e4a748-2192-161a-0510-9bf59fe950b5',
      Node: 't2.320',
      Address: '192.168.10.10',
      Datacenter: 'dc1',
      TaggedAddresses: { lan: '192.168.10.10', wan: '10.0.10.10' },
      NodeMeta: { somekey: 'somevalue' },
      ServiceKind: '',
      ServiceID: 'web-1',
      ServiceName: 'web',
      ServiceTags: ['prod'],
      ServiceAddress: '172.17.0.3',
      ServiceTaggedAddresses: { lan: { Address: '172.17.0.3', Port: 5000 }, wan: { Address: '198.18.0.1', Port: 512 } },
      ServiceWeights: { Passing: 1, Warning: 1 },
      ServiceMeta: { version: '2' },
      ServicePort: 5000,
      ServiceSocketPath: '',
      ServiceEnableTagOverride: false,
      ServiceProxy: { Mode: '', MeshGateway: {}, Expose: {} },
      ServiceConnect: {},
      ServiceLocality: null,
      CreateIndex: 51,
      ModifyIndex: 51,
    });
  });

  it('omit the omitempty fields of a service without port, tagged addresses or kind', () => {
    const e = healthEntryJson({ Node: node, Service: { ...redis, Port: 0, TaggedAddresses: {}, Tags: [] }, Checks: [] });
    expect(Object.keys(e.Service)).not.toContain('Port');
    expect(Object.keys(e.Service)).not.toContain('TaggedAddresses');
    expect(Object.keys(e.Service)).not.toContain('Kind');
    expect(e.Service.Tags).toEqual([]);
    expect(e.Checks).toEqual([]);
  });

  it('render a sidecar proxy’s Kind and proxy block', () => {
    const proxy: ServiceRow = {
      ...redis,
      Kind: 'connect-proxy',
      ID: 'web-sidecar-proxy',
      Proxy: { DestinationServiceName: 'web', LocalServicePort: 8080, Upstreams: [{ DestinationName: 'db', LocalBindPort: 9191 }], MeshGateway: {}, Expose: {} },
    };
    const e = healthEntryJson({ Node: node, Service: proxy, Checks: [] });
    expect(e.Service.Kind).toBe('connect-proxy');
    sameJson(e.Service.Proxy, {
      DestinationServiceName: 'web',
      LocalServicePort: 8080,
      Mode: '',
      Upstreams: [{ DestinationType: '', DestinationName: 'db', Datacenter: '', LocalBindPort: 9191, MeshGateway: {} }],
      MeshGateway: {},
      Expose: {},
    });
    const agent = agentServiceJson(proxy, { datacenter: 'dc1' });
    sameJson(agent.Proxy, { DestinationServiceName: 'web', LocalServicePort: 8080, Upstreams: [{ DestinationName: 'db', LocalBindPort: 9191, MeshGateway: {} }], MeshGateway: {}, Expose: {} });
  });

  it('render an AgentService as the agent endpoints do', () => {
    sameJson(agentServiceJson({ ...redis, Tags: [], Meta: {}, TaggedAddresses: {}, CreateIndex: 0, ModifyIndex: 0 }, { datacenter: 'dc1' }), {
      ID: 'redis',
      Service: 'redis',
      Tags: [],
      Meta: {},
      Port: 8000,
      Address: '10.1.10.12',
      Weights: { Passing: 10, Warning: 1 },
      EnableTagOverride: false,
      Datacenter: 'dc1',
    });
  });

  it('render check definitions as Consul’s MarshalJSON: omitempty, Go durations, TTL in nanoseconds', () => {
    expect(checkDefinitionJson({ HTTP: 'http://a', Interval: 90_000_000_000, Timeout: '500ms', TTL: '15s', Method: '', TLSSkipVerify: false, ScriptArgs: [] })).toEqual({
      Interval: '1m30s',
      Timeout: '500ms',
      HTTP: 'http://a',
      TTL: 15_000_000_000,
    });
    expect(healthCheckJson(check({ CheckID: 'x', Definition: { Args: ['/bin/true'], Interval: '10s' } })).Definition).toEqual({ Interval: '10s', ScriptArgs: ['/bin/true'] });
  });

  it('assemble the same bytes from cached text as JSON.stringify of the shapes', () => {
    const e = { Node: node, Service: redis, Checks: [check({ CheckID: 'a', Definition: { TTL: '5s' } }), check({ CheckID: 'b' })] };
    expect(healthEntryText(e)).toBe(JSON.stringify(healthEntryJson(e)));
    expect(healthEntryText({ ...e, Checks: [] })).toBe(JSON.stringify(healthEntryJson({ ...e, Checks: [] })));
    expect(serviceNodeText(redis, node)).toBe(JSON.stringify(serviceNodeJson(redis, node)));
    const reply = arrayReply(false, [e, e], healthEntryJson, healthEntryText);
    expect(reply.raw).toBe(JSON.stringify([healthEntryJson(e), healthEntryJson(e)]));
    expect(arrayReply(false, [], healthEntryJson, healthEntryText).raw).toBe('[]');
    expect(arrayReply(true, [e], healthEntryJson, healthEntryText).body).toEqual([healthEntryJson(e)]);
  });
});
