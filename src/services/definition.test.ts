import { describe, expect, it } from 'vitest';
import { allocateSidecarPort, expandSidecar, parseServiceDefinition } from './index.js';

const RANGE = { min: 21000, max: 21255 };

describe('parseServiceDefinition', () => {
  it('reads snake_case and CamelCase alike, with Consul defaults', () => {
    const snake = parseServiceDefinition({
      name: 'web',
      port: 8080,
      tags: ['v1'],
      address: '10.0.0.5',
      enable_tag_override: true,
      meta: { Version: '2' },
      check: { http: 'http://x/health', interval: '10s' },
    });
    const camel = parseServiceDefinition({
      Name: 'web',
      Port: 8080,
      Tags: ['v1'],
      Address: '10.0.0.5',
      EnableTagOverride: true,
      Meta: { Version: '2' },
      Check: { HTTP: 'http://x/health', Interval: '10s' },
    });
    expect(snake.service).toEqual(camel.service);
    expect(snake.service).toMatchObject({
      ID: 'web',
      Service: 'web',
      Weights: { Passing: 1, Warning: 1 },
      // Meta keys are the user's own: case kept.
      Meta: { Version: '2' },
      TaggedAddresses: { lan_ipv4: { Address: '10.0.0.5', Port: 8080 }, wan_ipv4: { Address: '10.0.0.5', Port: 8080 } },
      Proxy: { MeshGateway: {}, Expose: {} },
      Connect: {},
    });
    expect(snake.checks).toHaveLength(1);
  });

  it('takes Check then Checks, and drops the empty Check Go clients send', () => {
    const def = parseServiceDefinition({ Name: 'a', Check: {}, Checks: [{ TTL: '10s' }, { TCP: 'x:1', Interval: '5s' }] });
    expect(def.checks).toEqual([{ TTL: '10s' }, { TCP: 'x:1', Interval: '5s' }]);
  });

  it.each([
    [{ port: 80 }, 'Missing service name'],
    [{ name: 'a', port: 'eighty' }, 'Request decode failed: Port: expected an integer, got "eighty"'],
    [{ name: 'a', port: 70000 }, 'Request decode failed: Port: must be between 0 and 65535, got 70000'],
    [{ name: 'a', address: '0.0.0.0' }, 'Invalid service address'],
    [{ name: 'a', kind: 'gateway-ish' }, 'Invalid service kind: "gateway-ish"'],
    [{ name: 'a', meta: { 'consul-x': '1' } }, "Key prefix 'consul-' is reserved"],
    [{ name: 'a', weights: { passing: 0 } }, 'Invalid Weights: Passing must be greater than 0'],
    [{ name: 'a', tags: 'x', taggedaddresses: { lan_ipv4: { address: 'nope' } } }, 'must be a valid ipv4 address'],
    [{ name: 'p', kind: 'connect-proxy', port: 1 }, 'Proxy.DestinationServiceName must be non-empty'],
    [{ name: 'p', kind: 'connect-proxy', proxy: { destination_service_name: 'web' } }, 'Port must be set for a Connect proxy'],
    [{ name: 'a', connect: { sidecar_service: { id: 'x' } } }, 'A SidecarService cannot specify an ID'],
  ])('refuses %j: %s', (body, reason) => {
    expect(() => parseServiceDefinition(body)).toThrow(reason);
  });

  it('validates upstreams: a name, a bind port, no two on one address', () => {
    const proxy = (upstreams: unknown[]) => ({ name: 'p', kind: 'connect-proxy', port: 1, proxy: { destination_service_name: 'w', upstreams } });
    expect(() => parseServiceDefinition(proxy([{ local_bind_port: 1 }]))).toThrow('Upstream destination name cannot be empty');
    expect(() => parseServiceDefinition(proxy([{ destination_name: 'db' }]))).toThrow('local bind port or local socket path');
    expect(() =>
      parseServiceDefinition(proxy([{ destination_name: 'db', local_bind_port: 9 }, { destination_name: 'x', local_bind_port: 9 }])),
    ).toThrow('duplicates by local bind address');
    const ok = parseServiceDefinition(proxy([{ destination_name: 'db', local_bind_port: 9191, datacenter: 'dc2' }]));
    expect(ok.service.Proxy.Upstreams).toEqual([{ DestinationType: 'service', DestinationName: 'db', Datacenter: 'dc2', LocalBindPort: 9191 }]);
  });
});

describe('expandSidecar', () => {
  it('builds <id>-sidecar-proxy with Consul defaults and default checks', () => {
    const def = parseServiceDefinition({
      name: 'web',
      id: 'web-1',
      port: 8080,
      tags: ['v1'],
      meta: { team: 'a' },
      connect: { sidecar_service: { proxy: { upstreams: [{ destination_name: 'db', local_bind_port: 9191 }] } } },
    });
    const sc = expandSidecar(def, (id) => allocateSidecarPort(id, RANGE, [{ ID: 'other', Port: 21000 }]))!;
    expect(sc.service).toMatchObject({
      Kind: 'connect-proxy',
      ID: 'web-1-sidecar-proxy',
      Service: 'web-sidecar-proxy',
      Port: 21001,
      Tags: ['v1'],
      Meta: { team: 'a' },
      Proxy: {
        DestinationServiceName: 'web',
        DestinationServiceID: 'web-1',
        LocalServiceAddress: '127.0.0.1',
        LocalServicePort: 8080,
        Upstreams: [{ DestinationType: 'service', DestinationName: 'db', LocalBindPort: 9191 }],
      },
    });
    expect(sc.checks).toEqual([
      { Name: 'Connect Sidecar Listening', TCP: '127.0.0.1:21001', Interval: '10s' },
      { Name: 'Connect Sidecar Aliasing web-1', AliasService: 'web-1' },
    ]);
  });

  it('keeps a given port and given checks; re-registration keeps the allocated port', () => {
    const def = parseServiceDefinition({ name: 'web', port: 80, connect: { sidecar_service: { port: 30000, checks: [{ ttl: '5s' }] } } });
    const sc = expandSidecar(def, () => {
      throw new Error('must not allocate');
    })!;
    expect(sc.service.Port).toBe(30000);
    expect(sc.checks).toEqual([{ ttl: '5s' }]);
    expect(allocateSidecarPort('web-sidecar-proxy', RANGE, [{ ID: 'web-sidecar-proxy', Port: 21007 }])).toBe(21007);
  });

  it('says when the range is used up', () => {
    expect(() => allocateSidecarPort('x', { min: 21000, max: 21000 }, [{ ID: 'y', Port: 21000 }])).toThrow('none left in the configured range [21000, 21000]');
  });
});
