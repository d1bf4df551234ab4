import { describe, expect, it } from 'vitest';
import type { ServiceRow } from '../state/index.js';
import { adhocDefinition, definitionFromRegistration } from './definition.js';

const row = (over: Partial<ServiceRow> = {}): ServiceRow => ({
  Node: 'n1', Kind: 'connect-proxy', ID: 'web-sidecar-proxy', Service: 'web-sidecar-proxy', Tags: [], Address: '', TaggedAddresses: {}, Meta: {}, Port: 21000,
  SocketPath: '', Weights: { Passing: 1, Warning: 1 }, EnableTagOverride: false, Connect: {}, CreateIndex: 1, ModifyIndex: 1,
  Proxy: {
    DestinationServiceName: 'web', DestinationServiceID: 'web', LocalServiceAddress: '127.0.0.1', LocalServicePort: 8080, MeshGateway: {}, Expose: {},
    Config: { handshake_timeout_ms: '5000' },
    Upstreams: [{ DestinationName: 'db', LocalBindPort: 9191, Config: { connect_timeout_ms: 2500 } }],
  },
  ...over,
});

describe('proxy definitions', () => {
  it('reads a sidecar registration as Consul\'s built-in proxy does', () => {
    expect(definitionFromRegistration(row())).toEqual({
      proxyId: 'web-sidecar-proxy', service: 'web', serviceId: 'web', config: { handshake_timeout_ms: '5000' },
      listener: { bindAddress: '0.0.0.0', bindPort: 21000, localAddress: '127.0.0.1', localPort: 8080, localConnectTimeoutMs: 1000, handshakeTimeoutMs: 5000 },
      upstreams: [{ DestinationName: 'db', DestinationType: 'service', LocalBindAddress: '127.0.0.1', LocalBindPort: 9191, datacenter: '', connectTimeoutMs: 2500, config: { connect_timeout_ms: 2500 } }],
    });
    expect(() => definitionFromRegistration(row({ Kind: '' }))).toThrow('is not a connect-proxy');
  });

  it('makes one up from -service, -upstream, -listen and -service-addr', () => {
    const d = adhocDefinition({ service: 'web', upstreams: ['postgresql:8181', 'db:127.0.0.2:9000', 'postgresql:8282'], listen: ':8443', serviceAddr: '127.0.0.1:8080' });
    expect(d.upstreams.map((u) => [u.DestinationName, u.LocalBindAddress, u.LocalBindPort])).toEqual([['db', '127.0.0.2', 9000], ['postgresql', '127.0.0.1', 8282]]);
    expect(d.listener).toMatchObject({ bindAddress: '0.0.0.0', bindPort: 8443, localAddress: '127.0.0.1', localPort: 8080 });
    expect(() => adhocDefinition({ service: 'web', upstreams: [], listen: ':8443' })).toThrow('-service-addr must be specified with -listen');
    expect(() => adhocDefinition({ service: '', upstreams: [] })).toThrow('-service or -proxy-id must be specified');
    expect(() => adhocDefinition({ service: 'web', upstreams: ['db'] })).toThrow('Upstream value should be name:addr in "db"');
  });
});
