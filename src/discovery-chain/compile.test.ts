/**
 * Entry sets → compiled chains, after the cases of Consul's agent/consul/discoverychain/compile_test.go
 * (service "main" in dc1; namespaces left out, as Weft has only the default one).
 */
import { describe, expect, it } from 'vitest';
import { chainOf, compile, defaultRoute, globalProtocol, protocol, resolver, target } from './test-kit.js';

const route = (service: string, extra: Record<string, unknown> = {}) => ({ Match: { HTTP: { PathPrefix: `/${service}` } }, Destination: { Service: service, ...extra } });

describe('discovery chain compiler', () => {
  it('synthesizes a default resolver when there are no entries', () => {
    expect(compile([])).toEqual(
      chainOf({
        Default: true,
        StartNode: 'resolver:main.default.default.dc1',
        Nodes: { 'resolver:main.default.default.dc1': resolver('main.default.default.dc1', { Default: true }) },
        Targets: { 'main.default.default.dc1': target('main') },
      }),
    );
  });

  it('ends a router with a catch-all route to the service itself', () => {
    const chain = compile([protocol('main', 'http'), { Kind: 'service-router', Name: 'main' }]);
    expect(chain).toEqual(
      chainOf({
        Protocol: 'http',
        StartNode: 'router:main.default.default',
        Nodes: {
          'router:main.default.default': {
            Type: 'router',
            Name: 'main.default.default',
            Routes: [{ Definition: defaultRoute('main'), NextNode: 'resolver:main.default.default.dc1' }],
          },
          'resolver:main.default.default.dc1': resolver('main.default.default.dc1', { Default: true }),
        },
        Targets: { 'main.default.default.dc1': target('main') },
      }),
    );
  });

  it('sends a route without destination to the service, and a resolver sets the connect timeout', () => {
    const chain = compile([
      protocol('main', 'http'),
      { Kind: 'service-router', Name: 'main', Routes: [{ Match: { HTTP: { PathPrefix: '/' } } }] },
      { Kind: 'service-resolver', Name: 'main', ConnectTimeout: '33s' },
    ]);
    expect(chain.Nodes['router:main.default.default'].Routes).toEqual([
      { Definition: { Match: { HTTP: { PathPrefix: '/' } } }, NextNode: 'resolver:main.default.default.dc1' },
      { Definition: defaultRoute('main'), NextNode: 'resolver:main.default.default.dc1' },
    ]);
    expect(chain.Nodes['resolver:main.default.default.dc1']).toEqual(resolver('main.default.default.dc1', { ConnectTimeout: '33s' }));
    expect(chain.Targets['main.default.default.dc1']).toEqual(target('main', '', 'dc1', { ConnectTimeout: '33s' }));
  });

  it('takes the protocol from proxy-defaults and passes through a no-op splitter', () => {
    const chain = compile([globalProtocol('http'), { Kind: 'service-router', Name: 'main' }, { Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 100 }] }]);
    expect(chain.Protocol).toBe('http');
    expect(chain.Nodes['router:main.default.default'].Routes![0].NextNode).toBe('splitter:main.default.default');
    expect(chain.Nodes['splitter:main.default.default']).toEqual({
      Type: 'splitter',
      Name: 'main.default.default',
      Splits: [{ Definition: { Weight: 100 }, Weight: 100, NextNode: 'resolver:main.default.default.dc1' }],
    });
  });

  it('lets a route to a subset bypass the destination service splitter', () => {
    const chain = compile([
      protocol('main', 'http'),
      protocol('other', 'http'),
      { Kind: 'service-router', Name: 'main', Routes: [route('other', { ServiceSubset: 'bypass' })] },
      { Kind: 'service-splitter', Name: 'other', Splits: [{ Weight: 100, Service: 'ignored' }] },
      { Kind: 'service-resolver', Name: 'other', Subsets: { bypass: { Filter: 'Service.Meta.version == bypass' } } },
    ]);
    expect(Object.keys(chain.Nodes).sort()).toEqual(['resolver:bypass.other.default.default.dc1', 'resolver:main.default.default.dc1', 'router:main.default.default']);
    expect(chain.Targets['bypass.other.default.default.dc1']).toEqual(target('other', 'bypass', 'dc1', { Subset: { Filter: 'Service.Meta.version == bypass' } }));
    expect(chain.Nodes['resolver:bypass.other.default.default.dc1'].Resolver).toEqual({ ConnectTimeout: '5s', Target: 'bypass.other.default.default.dc1' });
  });

  it('splits across subsets and services', () => {
    const subsets = compile([
      protocol('main', 'http'),
      { Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 60, ServiceSubset: 'v2' }, { Weight: 40, ServiceSubset: 'v1' }] },
      { Kind: 'service-resolver', Name: 'main', Subsets: { v1: { Filter: 'Service.Meta.version == 1' }, v2: { Filter: 'Service.Meta.version == 2' } } },
    ]);
    expect(subsets.StartNode).toBe('splitter:main.default.default');
    expect(subsets.Nodes['splitter:main.default.default'].Splits!.map((s) => [s.Weight, s.NextNode])).toEqual([
      [60, 'resolver:v2.main.default.default.dc1'],
      [40, 'resolver:v1.main.default.default.dc1'],
    ]);
    const services = compile([
      protocol('main', 'http'),
      protocol('foo', 'http'),
      protocol('bar', 'http'),
      { Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 60, Service: 'foo' }, { Weight: 40, Service: 'bar' }] },
    ]);
    expect(services.Nodes['resolver:foo.default.default.dc1']).toEqual(resolver('foo.default.default.dc1', { Default: true }));
    expect(Object.keys(services.Targets)).toEqual(['bar.default.default.dc1', 'foo.default.default.dc1']);
  });

  it('does not split further a split that names a subset', () => {
    const chain = compile([
      protocol('main', 'http'),
      protocol('next', 'http'),
      { Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 100, Service: 'next', ServiceSubset: 'bypassed' }] },
      { Kind: 'service-splitter', Name: 'next', Splits: [{ Weight: 100, ServiceSubset: 'not-bypassed' }] },
      { Kind: 'service-resolver', Name: 'next', Subsets: { bypassed: { Filter: 'Service.Meta.version == bypass' }, 'not-bypassed': { Filter: 'Service.Meta.version != bypass' } } },
    ]);
    expect(Object.keys(chain.Nodes).sort()).toEqual(['resolver:bypassed.next.default.default.dc1', 'splitter:main.default.default']);
    expect(Object.keys(chain.Targets)).toEqual(['bypassed.next.default.default.dc1']);
  });

  it('follows redirects to a service, a subset and a datacenter, and marks mesh gateway modes', () => {
    const service = compile([{ Kind: 'service-resolver', Name: 'main', Redirect: { Service: 'other' } }]);
    expect(service.StartNode).toBe('resolver:other.default.default.dc1');
    expect(service.Default).toBeUndefined();
    expect(service.Nodes['resolver:other.default.default.dc1'].Resolver!.Default).toBe(true);
    const subset = compile([
      { Kind: 'service-resolver', Name: 'main', Redirect: { Service: 'other', ServiceSubset: 'v2' } },
      { Kind: 'service-resolver', Name: 'other', Subsets: { v1: { Filter: 'Service.Meta.version == 1' }, v2: { Filter: 'Service.Meta.version == 2' } } },
    ]);
    expect(subset.StartNode).toBe('resolver:v2.other.default.default.dc1');
    expect(subset.Targets).toEqual({ 'v2.other.default.default.dc1': target('other', 'v2', 'dc1', { Subset: { Filter: 'Service.Meta.version == 2' } }) });
    const dc = compile([{ Kind: 'proxy-defaults', Name: 'global', MeshGateway: { Mode: 'remote' } }, { Kind: 'service-resolver', Name: 'main', Redirect: { Datacenter: 'dc9' } }]);
    expect(dc.StartNode).toBe('resolver:main.default.default.dc9');
    expect(dc.Targets).toEqual({ 'main.default.default.dc9': target('main', '', 'dc9', { MeshGateway: { Mode: 'remote' } }) });
  });

  it('compiles failover by service, through a redirect, by subset, by datacenter and by targets', () => {
    const failover = (f: Record<string, unknown>, extra: Record<string, unknown>[] = []) =>
      compile([{ Kind: 'service-resolver', Name: 'main', Failover: { '*': f } }, ...extra]).Nodes['resolver:main.default.default.dc1'].Resolver!.Failover;
    expect(failover({ Service: 'backup' })).toEqual({ Targets: ['backup.default.default.dc1'] });
    expect(failover({ Service: 'backup' }, [{ Kind: 'service-resolver', Name: 'backup', Redirect: { Service: 'actual' } }])).toEqual({ Targets: ['actual.default.default.dc1'] });
    // A failover back to the first service does not chain: failover is one level deep.
    expect(failover({ Service: 'backup' }, [{ Kind: 'service-resolver', Name: 'backup', Failover: { '*': { Service: 'main' } } }])).toEqual({ Targets: ['backup.default.default.dc1'] });
    expect(failover({ Datacenters: ['dc2', 'dc1', 'dc4'] })).toEqual({ Targets: ['main.default.default.dc2', 'main.default.default.dc4'] });
    expect(failover({ Targets: [{ Datacenter: 'dc3' }, { Service: 'other', Datacenter: 'dc1' }] })).toEqual({ Targets: ['main.default.default.dc3', 'other.default.default.dc1'] });
    const bySubset = compile([
      { Kind: 'service-resolver', Name: 'main', Subsets: { backup: { Filter: 'Service.Meta.version == backup' } }, Failover: { '*': { ServiceSubset: 'backup' } } },
    ]);
    expect(bySubset.Nodes['resolver:main.default.default.dc1'].Resolver).toEqual({ ConnectTimeout: '5s', Target: 'main.default.default.dc1', Failover: { Targets: ['backup.main.default.default.dc1'] } });
    expect(bySubset.Targets['backup.main.default.default.dc1']).toEqual(target('main', 'backup', 'dc1', { Subset: { Filter: 'Service.Meta.version == backup' } }));
  });

  it('applies the default subset and takes the failover policy from proxy-defaults', () => {
    const chain = compile([
      { Kind: 'proxy-defaults', Name: 'global', FailoverPolicy: { Mode: 'order-by-locality' } },
      {
        Kind: 'service-resolver',
        Name: 'main',
        DefaultSubset: 'v2',
        Subsets: { v1: { Filter: 'Service.Meta.version == 1' }, v2: { Filter: 'Service.Meta.version == 2', OnlyPassing: true } },
        Failover: { v2: { ServiceSubset: 'v1' } },
      },
    ]);
    expect(chain.StartNode).toBe('resolver:v2.main.default.default.dc1');
    expect(chain.Nodes['resolver:v2.main.default.default.dc1'].Resolver!.Failover).toEqual({ Targets: ['v1.main.default.default.dc1'], Policy: { Mode: 'order-by-locality' } });
    expect(chain.Targets['v2.main.default.default.dc1'].Subset).toEqual({ Filter: 'Service.Meta.version == 2', OnlyPassing: true });
  });

  it('uses an external SNI and bypasses mesh gateways for external services', () => {
    const chain = compile([
      { Kind: 'proxy-defaults', Name: 'global', MeshGateway: { Mode: 'local' } },
      { Kind: 'service-defaults', Name: 'main', ExternalSNI: 'main.some.other.service.mesh' },
    ]);
    expect(chain.Default).toBe(true);
    expect(chain.Targets['main.default.default.dc1']).toEqual(target('main', '', 'dc1', { SNI: 'main.some.other.service.mesh', External: true }));
  });

  it('attaches load balancers to resolvers, and the first hash-based one to a splitter', () => {
    const chain = compile([
      protocol('foo', 'http'),
      protocol('bar', 'http'),
      protocol('baz', 'http'),
      { Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 60, Service: 'foo' }, { Weight: 20, Service: 'bar' }, { Weight: 20, Service: 'baz' }] },
      { Kind: 'service-resolver', Name: 'foo', LoadBalancer: { Policy: 'least_request', LeastRequestConfig: { ChoiceCount: 3 } } },
      { Kind: 'service-resolver', Name: 'bar', LoadBalancer: { Policy: 'ring_hash', RingHashConfig: { MaximumRingSize: 101 }, HashPolicies: [{ SourceIP: true }] } },
      {
        Kind: 'service-resolver',
        Name: 'baz',
        LoadBalancer: { Policy: 'maglev', HashPolicies: [{ Field: 'cookie', FieldValue: 'chocolate-chip', CookieConfig: { TTL: '2m', Path: '/bowl' }, Terminal: true }] },
      },
    ]);
    const ringHash = { Policy: 'ring_hash', RingHashConfig: { MaximumRingSize: 101 }, HashPolicies: [{ SourceIP: true }] };
    expect(chain.Nodes['splitter:main.default.default'].LoadBalancer).toEqual(ringHash);
    expect(chain.Nodes['resolver:bar.default.default.dc1']).toEqual({ ...resolver('bar.default.default.dc1'), LoadBalancer: ringHash });
    expect(chain.Nodes['resolver:foo.default.default.dc1'].LoadBalancer).toEqual({ Policy: 'least_request', LeastRequestConfig: { ChoiceCount: 3 } });
    // Consul's JSON carries CookieConfig.TTL as nanoseconds.
    expect(chain.Nodes['resolver:baz.default.default.dc1'].LoadBalancer!.HashPolicies).toEqual([
      { Field: 'cookie', FieldValue: 'chocolate-chip', CookieConfig: { TTL: 120_000_000_000, Path: '/bowl' }, Terminal: true },
    ]);
  });

  it('splits a multi-datacenter canary through redirects, with the resolver connect timeout on each target', () => {
    const chain = compile([
      protocol('main', 'http'),
      protocol('main-dc2', 'http'),
      protocol('main-dc3', 'http'),
      { Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 60, Service: 'main-dc2' }, { Weight: 40, Service: 'main-dc3' }] },
      { Kind: 'service-resolver', Name: 'main-dc2', Redirect: { Service: 'main', Datacenter: 'dc2' } },
      { Kind: 'service-resolver', Name: 'main-dc3', Redirect: { Service: 'main', Datacenter: 'dc3' } },
      { Kind: 'service-resolver', Name: 'main', ConnectTimeout: '33s' },
    ]);
    expect(chain.Nodes['splitter:main.default.default'].Splits!.map((s) => s.NextNode)).toEqual(['resolver:main.default.default.dc2', 'resolver:main.default.default.dc3']);
    expect(chain.Targets).toEqual({
      'main.default.default.dc2': target('main', '', 'dc2', { ConnectTimeout: '33s' }),
      'main.default.default.dc3': target('main', '', 'dc3', { ConnectTimeout: '33s' }),
    });
  });

  it('carries request timeouts as nanoseconds and service-defaults Meta as ServiceMeta', () => {
    const chain = compile([{ Kind: 'service-defaults', Name: 'main', Meta: { team: 'pay' } }, { Kind: 'service-resolver', Name: 'main', RequestTimeout: '10s' }]);
    expect(chain.ServiceMeta).toEqual({ team: 'pay' });
    expect(chain.Nodes['resolver:main.default.default.dc1'].Resolver).toEqual({ ConnectTimeout: '5s', RequestTimeout: 10_000_000_000, Target: 'main.default.default.dc1' });
  });
});
