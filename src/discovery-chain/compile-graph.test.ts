/** The compiler's larger graphs, its errors and request overrides (after Consul's compile_test.go). */
import { describe, expect, it } from 'vitest';
import { chainOf, compile, defaultRoute, globalProtocol, protocol, resolver, target } from './test-kit.js';

const simpleRoute = (service: string) => ({ Match: { HTTP: { PathPrefix: `/${service}` } }, Destination: { Service: service } });

describe('all the bells and whistles', () => {
  const ringHash = { Policy: 'ring_hash', RingHashConfig: { MaximumRingSize: 100 }, HashPolicies: [{ SourceIP: true }] };
  const entries = [
    ...['main', 'svc-redirect', 'svc-redirect-again', 'svc-split', 'svc-split-again', 'svc-split-one-more-time', 'redirected'].map((s) => protocol(s, 'http')),
    { Kind: 'service-router', Name: 'main', Routes: [simpleRoute('svc-redirect'), simpleRoute('svc-split')] },
    { Kind: 'service-splitter', Name: 'svc-split', Splits: [{ Weight: 60, Service: 'svc-redirect' }, { Weight: 40, Service: 'svc-split-again' }] },
    {
      Kind: 'service-splitter',
      Name: 'svc-split-again',
      Splits: [
        { Weight: 75, Service: 'main', ServiceSubset: 'v1' },
        {
          Weight: 25,
          Service: 'svc-split-one-more-time',
          RequestHeaders: { Set: { parent: '1', shared: 'from-parent' } },
          ResponseHeaders: { Set: { parent: '2', shared: 'from-parent' } },
        },
      ],
    },
    {
      Kind: 'service-splitter',
      Name: 'svc-split-one-more-time',
      Splits: [
        { Weight: 80, Service: 'main', ServiceSubset: 'v2' },
        {
          Weight: 20,
          Service: 'main',
          ServiceSubset: 'v3',
          RequestHeaders: { Set: { child: '3', shared: 'from-child' } },
          ResponseHeaders: { Set: { child: '4', shared: 'from-parent' } },
        },
      ],
    },
    { Kind: 'service-resolver', Name: 'svc-redirect', Redirect: { Service: 'svc-redirect-again' } },
    { Kind: 'service-resolver', Name: 'svc-redirect-again', Redirect: { Service: 'redirected' } },
    {
      Kind: 'service-resolver',
      Name: 'redirected',
      DefaultSubset: 'prod',
      Subsets: { prod: { Filter: 'ServiceMeta.env == prod' }, qa: { Filter: 'ServiceMeta.env == qa' } },
      LoadBalancer: ringHash,
    },
    {
      Kind: 'service-resolver',
      Name: 'main',
      DefaultSubset: 'default-subset',
      Subsets: {
        v1: { Filter: 'Service.Meta.version == 1' },
        v2: { Filter: 'Service.Meta.version == 2' },
        v3: { Filter: 'Service.Meta.version == 3' },
        'default-subset': { OnlyPassing: true },
      },
    },
  ];

  it('flattens nested splitters multiplicatively, merging header changes, through double redirects to a default subset', () => {
    const filter = (v: string) => ({ Subset: { Filter: `Service.Meta.version == ${v}` } });
    expect(compile(entries)).toEqual(
      chainOf({
        Protocol: 'http',
        StartNode: 'router:main.default.default',
        Nodes: {
          'router:main.default.default': {
            Type: 'router',
            Name: 'main.default.default',
            Routes: [
              { Definition: simpleRoute('svc-redirect'), NextNode: 'resolver:prod.redirected.default.default.dc1' },
              { Definition: simpleRoute('svc-split'), NextNode: 'splitter:svc-split.default.default' },
              { Definition: defaultRoute('main'), NextNode: 'resolver:default-subset.main.default.default.dc1' },
            ],
          },
          'splitter:svc-split.default.default': {
            Type: 'splitter',
            Name: 'svc-split.default.default',
            Splits: [
              { Definition: { Weight: 60, Service: 'svc-redirect' }, Weight: 60, NextNode: 'resolver:prod.redirected.default.default.dc1' },
              { Definition: { Weight: 75, Service: 'main', ServiceSubset: 'v1' }, Weight: 30, NextNode: 'resolver:v1.main.default.default.dc1' },
              {
                Definition: {
                  Weight: 80,
                  Service: 'main',
                  ServiceSubset: 'v2',
                  RequestHeaders: { Set: { parent: '1', shared: 'from-parent' } },
                  ResponseHeaders: { Set: { parent: '2', shared: 'from-parent' } },
                },
                Weight: 8,
                NextNode: 'resolver:v2.main.default.default.dc1',
              },
              {
                Definition: {
                  Weight: 20,
                  Service: 'main',
                  ServiceSubset: 'v3',
                  RequestHeaders: { Set: { parent: '1', child: '3', shared: 'from-child' } },
                  ResponseHeaders: { Set: { parent: '2', child: '4', shared: 'from-parent' } },
                },
                Weight: 2,
                NextNode: 'resolver:v3.main.default.default.dc1',
              },
            ],
            LoadBalancer: ringHash,
          },
          'resolver:prod.redirected.default.default.dc1': { ...resolver('prod.redirected.default.default.dc1'), LoadBalancer: ringHash },
          'resolver:v1.main.default.default.dc1': resolver('v1.main.default.default.dc1'),
          'resolver:v2.main.default.default.dc1': resolver('v2.main.default.default.dc1'),
          'resolver:v3.main.default.default.dc1': resolver('v3.main.default.default.dc1'),
          'resolver:default-subset.main.default.default.dc1': resolver('default-subset.main.default.default.dc1'),
        },
        Targets: {
          'prod.redirected.default.default.dc1': target('redirected', 'prod', 'dc1', { Subset: { Filter: 'ServiceMeta.env == prod' } }),
          'v1.main.default.default.dc1': target('main', 'v1', 'dc1', filter('1')),
          'v2.main.default.default.dc1': target('main', 'v2', 'dc1', filter('2')),
          'v3.main.default.default.dc1': target('main', 'v3', 'dc1', filter('3')),
          'default-subset.main.default.default.dc1': target('main', 'default-subset', 'dc1', { Subset: { OnlyPassing: true } }),
        },
      }),
    );
  });

  it('serves nodes and targets in sorted key order, as Go marshals maps', () => {
    const chain = compile(entries);
    expect(Object.keys(chain.Nodes)).toEqual([...Object.keys(chain.Nodes)].sort());
    expect(Object.keys(chain.Targets)).toEqual([...Object.keys(chain.Targets)].sort());
  });
});

describe('compile errors', () => {
  const cases: [string, Record<string, unknown>[], string][] = [
    ['splitter on tcp', [protocol('main', 'tcp'), { Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 90 }, { Weight: 10, Service: 'other' }] }], 'discovery chain "main" uses a protocol "tcp" that does not permit advanced routing or splitting behavior'],
    ['router on tcp', [{ Kind: 'service-router', Name: 'main', Routes: [{ Match: { HTTP: { PathExact: '/other' } } }] }], 'does not permit advanced routing or splitting behavior'],
    ['route to a tcp service', [protocol('main', 'tcp'), protocol('other', 'tcp'), { Kind: 'service-router', Name: 'main', Routes: [simpleRoute('other')] }], 'does not permit advanced routing or splitting behavior'],
    [
      'failover crosses protocols',
      [protocol('main', 'grpc'), protocol('other', 'tcp'), { Kind: 'service-resolver', Name: 'main', Failover: { '*': { Service: 'other' } } }],
      'discovery chain "main" uses inconsistent protocols; service "other" has "tcp" which is not "grpc"',
    ],
    ['redirect crosses protocols', [protocol('main', 'grpc'), protocol('other', 'tcp'), { Kind: 'service-resolver', Name: 'main', Redirect: { Service: 'other' } }], 'uses inconsistent protocols'],
    [
      'redirect to a missing subset',
      [{ Kind: 'service-resolver', Name: 'other', ConnectTimeout: '33s' }, { Kind: 'service-resolver', Name: 'main', Redirect: { Service: 'other', ServiceSubset: 'v1' } }],
      'service "other" does not have a subset named "v1"',
    ],
    [
      'circular redirect',
      [{ Kind: 'service-resolver', Name: 'main', Redirect: { Service: 'other' } }, { Kind: 'service-resolver', Name: 'other', Redirect: { Service: 'main' } }],
      'detected circular resolver redirect: [main.default.default.dc1 -> other.default.default.dc1 -> main.default.default.dc1]',
    ],
    [
      'circular split',
      [globalProtocol('http'), { Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 100, Service: 'other' }] }, { Kind: 'service-splitter', Name: 'other', Splits: [{ Weight: 100, Service: 'main' }] }],
      'detected circular reference: [splitter:main.default.default -> splitter:other.default.default -> splitter:main.default.default]',
    ],
    ...(['Failover', 'Subsets', 'Redirect'] as const).map((field): [string, Record<string, unknown>[], string] => [
      `external SNI with ${field}`,
      [
        { Kind: 'service-defaults', Name: 'main', ExternalSNI: 'main.some.other.service.mesh' },
        {
          Kind: 'service-resolver',
          Name: 'main',
          ...(field === 'Failover' ? { Failover: { '*': { Service: 'backup' } } } : field === 'Subsets' ? { Subsets: { canary: { Filter: 'Service.Meta.version == canary' } } } : { Redirect: { Datacenter: 'dc2' } }),
        },
      ],
      `service "main" has an external SNI set; cannot define ${field === 'Failover' ? 'failover' : field === 'Subsets' ? 'subsets' : 'redirects'} for external services`,
    ]),
  ];
  it.each(cases)('%s', (_name, entries, reason) => {
    expect(() => compile(entries)).toThrow(reason);
  });
});

describe('request overrides', () => {
  it('overrides the protocol, and marks the chain customised only when that changed something', () => {
    const http2 = compile([protocol('main', 'grpc')], { overrideProtocol: 'http2' });
    expect(http2.Protocol).toBe('http2');
    expect(http2.CustomizationHash).toMatch(/^[0-9a-f]{8}$/);
    const same = compile([protocol('main', 'http2')], { overrideProtocol: 'http2' });
    expect(same.CustomizationHash).toBeUndefined();
  });

  it('drops routers and splitters when the protocol is overridden to tcp', () => {
    const chain = compile([protocol('main', 'grpc'), { Kind: 'service-router', Name: 'main' }], { overrideProtocol: 'tcp' });
    expect(chain).toEqual(
      chainOf({
        Protocol: 'tcp',
        Default: true,
        CustomizationHash: chain.CustomizationHash,
        StartNode: 'resolver:main.default.default.dc1',
        Nodes: { 'resolver:main.default.default.dc1': resolver('main.default.default.dc1', { Default: true }) },
        Targets: { 'main.default.default.dc1': target('main') },
      }),
    );
    expect(chain.CustomizationHash).toMatch(/^[0-9a-f]{8}$/);
  });

  it('overrides connect timeouts and mesh gateway modes, with a hash per customisation', () => {
    const redirect = [{ Kind: 'service-resolver', Name: 'main', Redirect: { Datacenter: 'dc2' } }];
    const chain = compile(redirect, { overrideConnectTimeoutMs: 7000, overrideProtocol: 'grpc', overrideMeshGateway: { Mode: 'remote' } });
    expect(chain.Nodes).toEqual({ 'resolver:main.default.default.dc2': resolver('main.default.default.dc2', { ConnectTimeout: '7s' }) });
    expect(chain.Targets['main.default.default.dc2']).toEqual(target('main', '', 'dc2', { ConnectTimeout: '7s', MeshGateway: { Mode: 'remote' } }));
    const other = compile(redirect, { overrideConnectTimeoutMs: 8000 });
    expect(other.CustomizationHash).toMatch(/^[0-9a-f]{8}$/);
    expect(other.CustomizationHash).not.toBe(chain.CustomizationHash);
    // An override equal to what the entries give changes nothing.
    expect(compile(redirect, { overrideConnectTimeoutMs: 5000 }).CustomizationHash).toBeUndefined();
  });
});
