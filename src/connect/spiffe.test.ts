import { describe, expect, it } from 'vitest';
import { parseSpiffeUri, serviceDnsName, serviceSpiffeUri, spiffeUri, trustDomainOf } from './spiffe.js';

const TD = trustDomainOf('11111111-2222-3333-4444-555555555555');

describe('SPIFFE IDs', () => {
  it('builds the service, agent and signing IDs Consul uses', () => {
    expect(serviceSpiffeUri(TD, 'dc1', 'web')).toBe(`spiffe://${TD}/ns/default/dc/dc1/svc/web`);
    expect(spiffeUri({ kind: 'agent', trustDomain: TD, datacenter: 'dc1', agent: 'node-1' })).toBe(`spiffe://${TD}/agent/client/dc/dc1/id/node-1`);
    expect(spiffeUri({ kind: 'signing', trustDomain: TD })).toBe(`spiffe://${TD}`);
    expect(spiffeUri({ kind: 'server', trustDomain: TD, datacenter: 'dc1' })).toBe(`spiffe://${TD}/agent/server/dc/dc1`);
    expect(spiffeUri({ kind: 'mesh-gateway', trustDomain: TD, datacenter: 'dc2' })).toBe(`spiffe://${TD}/gateway/mesh/dc/dc2`);
  });

  it('parses what it builds and nothing else', () => {
    expect(parseSpiffeUri(serviceSpiffeUri(TD, 'dc1', 'web'))).toEqual({ kind: 'service', trustDomain: TD, namespace: 'default', datacenter: 'dc1', service: 'web' });
    expect(parseSpiffeUri(`spiffe://${TD}/ap/team/ns/default/dc/dc1/svc/web`)).toMatchObject({ kind: 'service', partition: 'team' });
    expect(parseSpiffeUri(`spiffe://${TD}/agent/client/dc/dc1/id/n1`)).toMatchObject({ kind: 'agent', agent: 'n1' });
    expect(parseSpiffeUri(`spiffe://${TD}`)).toEqual({ kind: 'signing', trustDomain: TD });
    expect(parseSpiffeUri(`spiffe://${TD}/ns/default/dc/dc1/svc/we%20b`)).toMatchObject({ service: 'we b' });
    for (const bad of ['https://x/ns/default/dc/dc1/svc/web', 'spiffe:///ns/a/dc/b/svc/c', `spiffe://${TD}/ns/default/svc/web`, 'not a uri', `spiffe://${TD}/ns/default/dc/dc1/svc/web?x=1`]) {
      expect(parseSpiffeUri(bad), bad).toBeNull();
    }
  });

  it('gives leaves a DNS name under the short trust domain, dropping characters DNS refuses', () => {
    expect(serviceDnsName('Web', TD)).toBe('web.svc.default.11111111.consul');
    expect(serviceDnsName('my_svc', TD)).toBe('mysvc.svc.default.11111111.consul');
    expect(serviceDnsName('___', TD)).toBeNull();
  });
});
