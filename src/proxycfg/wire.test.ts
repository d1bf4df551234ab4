import { describe, expect, it } from 'vitest';
import { healthyEndpoints, parseUpstreamFlag, serviceSni } from './wire.js';

describe('the -upstream flag', () => {
  it("parses Consul's forms", () => {
    expect(parseUpstreamFlag('postgresql:8181')).toEqual({ DestinationName: 'postgresql', DestinationType: 'service', LocalBindAddress: '', LocalBindPort: 8181 });
    expect(parseUpstreamFlag('db:127.0.0.10:8282')).toMatchObject({ DestinationName: 'db', LocalBindAddress: '127.0.0.10', LocalBindPort: 8282 });
    expect(parseUpstreamFlag('db.query:9000')).toMatchObject({ DestinationName: 'db', DestinationType: 'prepared_query' });
    expect(parseUpstreamFlag('db.service:[::1]:9000')).toMatchObject({ DestinationType: 'service', LocalBindAddress: '::1', LocalBindPort: 9000 });
  });

  it("refuses what Consul refuses, with its words", () => {
    expect(parseUpstreamFlag('db')).toBe('Upstream value should be name:addr in "db"');
    expect(parseUpstreamFlag('db.x:1')).toBe(`Upstream type must be blank, 'service', or 'query'. Got: "x"`);
    expect(parseUpstreamFlag('db:port')).toBe('invalid upstream port "port" in "db:port"');
    expect(parseUpstreamFlag('db:70000')).toBe('invalid upstream port "70000" in "db:70000"');
  });
});

describe('upstream endpoints', () => {
  const node = { Node: 'n1', Address: '10.0.0.1', Datacenter: 'dc2' };
  const passing = [{ Status: 'passing' }];
  it('keeps instances whose every check passes, with the identity each must present', () => {
    const got = healthyEndpoints(
      [
        { Node: node, Service: { ID: 'db-sidecar-proxy', Service: 'db-sidecar-proxy', Kind: 'connect-proxy', Address: '', Port: 21000, Proxy: { DestinationServiceName: 'db' } }, Checks: passing },
        { Node: node, Service: { ID: 'db2', Service: 'db', Kind: '', Address: '10.0.0.2', Port: 8443, Connect: { Native: true }, Weights: { Passing: 3 } }, Checks: passing },
        { Node: node, Service: { ID: 'db3', Service: 'db-sidecar-proxy', Kind: 'connect-proxy', Address: '', Port: 21001, Proxy: { DestinationServiceName: 'db' } }, Checks: [{ Status: 'passing' }, { Status: 'warning' }] },
      ],
      'td.consul',
      'dc1',
    );
    expect(got).toEqual([
      { Node: 'n1', ServiceID: 'db-sidecar-proxy', Address: '10.0.0.1', Port: 21000, Identity: 'spiffe://td.consul/ns/default/dc/dc2/svc/db', Weight: 1 },
      { Node: 'n1', ServiceID: 'db2', Address: '10.0.0.2', Port: 8443, Identity: 'spiffe://td.consul/ns/default/dc/dc2/svc/db', Weight: 3 },
    ]);
    expect(serviceSni('db', 'dc1', 'td.consul')).toBe('db.default.dc1.internal.td.consul');
  });
});
