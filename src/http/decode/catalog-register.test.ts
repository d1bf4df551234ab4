import { describe, expect, it } from 'vitest';
import { decodeCatalogDeregister, decodeCatalogRegister } from './catalog-register.js';

const decode = (body: unknown) => decodeCatalogRegister(body, 'dc1');
const base = { Node: 'n1', Address: '10.0.0.1' };

describe('decodeCatalogRegister', () => {
  it('applies Consul’s defaults', () => {
    const r = decode({ ...base, Service: { Service: 'web' }, Check: { Name: 'alive', ServiceID: 'web' } });
    expect(r.Node).toEqual({ ID: '', Node: 'n1', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} });
    expect(r.Service).toMatchObject({ ID: 'web', Service: 'web', Tags: [], Port: 0, Weights: { Passing: 1, Warning: 1 }, Kind: '' });
    expect(r.Service!.Proxy).toEqual({ MeshGateway: {}, Expose: {} });
    expect(r.Checks).toEqual([
      expect.objectContaining({ CheckID: 'alive', Name: 'alive', Status: 'critical', ServiceID: 'web', Type: '', Definition: {} }),
    ]);
  });

  it('decodes keys case-insensitively, as Go’s JSON decoder does', () => {
    const r = decode({ node: 'n1', ADDRESS: '10.0.0.1', nodemeta: { rack: 'r1' }, service: { service: 'db', port: 5432, tags: ['primary'] } });
    expect(r.Node.Meta).toEqual({ rack: 'r1' });
    expect(r.Service).toMatchObject({ ID: 'db', Service: 'db', Port: 5432, Tags: ['primary'] });
  });

  it('keeps valid weights and replaces invalid ones with the default, as Consul does', () => {
    expect(decode({ ...base, Service: { Service: 'a', Weights: { Passing: 10, Warning: 1 } } }).Service!.Weights).toEqual({ Passing: 10, Warning: 1 });
    expect(decode({ ...base, Service: { Service: 'a', Weights: { Passing: 0, Warning: 3 } } }).Service!.Weights).toEqual({ Passing: 1, Warning: 1 });
  });

  it('merges the single Check into Checks and derives check types from definitions', () => {
    const r = decode({
      ...base,
      Checks: [{ Name: 'a', Definition: { TCP: 'localhost:1', Interval: '10s' } }],
      Check: { CheckID: 'b', Status: 'passing', Definition: { TTL: '30s' } },
    });
    expect(r.Checks!.map((c) => [c.CheckID, c.Type, c.Status])).toEqual([
      ['a', 'tcp', 'critical'],
      ['b', 'ttl', 'passing'],
    ]);
    expect(r.Checks![1].Definition).toEqual({ TTL: 30_000_000_000 });
  });

  it('stores definitions in Consul’s rendered form', () => {
    const r = decode({
      ...base,
      Check: {
        Name: 'h',
        Definition: { HTTP: 'http://x/health', Method: 'POST', Header: { A: ['1'] }, IntervalDuration: '1m30s', Timeout: 2_000_000_000, TLSSkipVerify: true, Body: '' },
      },
    });
    expect(r.Checks![0].Definition).toEqual({ Interval: '1m30s', Timeout: '2s', HTTP: 'http://x/health', Method: 'POST', TLSSkipVerify: true, Header: { A: ['1'] } });
    expect(r.Checks![0].Type).toBe('http');
  });

  it.each([
    [{ Address: '1.2.3.4' }, 'Must provide node'],
    [{ Node: 'n1' }, 'Must provide address if SkipNodeUpdate is not set'],
    [{ ...base, ID: 'abc' }, 'Bad node ID: uuid string is wrong length'],
    [{ ...base, ID: 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz' }, 'Bad node ID: uuid is improperly formatted'],
    [{ ...base, Service: { ID: 'web-1' } }, 'Must provide service name (Service.Service) with ID (Service.ID)'],
    [{ ...base, Service: {} }, 'Must provide service name (Service.Service)'],
    [{ ...base, Service: { Service: 'a', Port: 'x' } }, 'Request decode failed: json: cannot unmarshal string into Go struct field RegisterRequest.Service.Port of type int'],
    [{ ...base, Service: { Service: 'a', Port: 65536 } }, 'RegisterRequest.Service.Port: 65536 is out of range'],
    [{ ...base, Service: { Service: 'a', Address: '0.0.0.0' } }, 'Invalid service address'],
    [{ ...base, Service: { Service: 'a', Kind: 'sidecar' } }, 'Invalid service kind: "sidecar"'],
    [{ ...base, Service: { Service: 'p', Kind: 'connect-proxy', Port: 1 } }, 'Proxy.DestinationServiceName must be non-empty for Connect proxy services'],
    [{ ...base, Service: { Service: 'p', Kind: 'connect-proxy', Proxy: { DestinationServiceName: 'web' } } }, 'Port or SocketPath must be set for a connect-proxy'],
    [{ ...base, Check: { Name: 'c', Status: 'ok' } }, 'Bad check status "ok" for check "c": must be passing, warning or critical'],
    [{ ...base, Check: { Status: 'passing' } }, 'Must provide check name (Check.Name) or ID (Check.CheckID)'],
    [{ ...base, Check: { Name: 'c', Node: 'other' } }, "Node 'other' for check 'c' doesn't match register request node 'n1'"],
    [{ ...base, Check: { Name: 'c', Definition: { Interval: '10 seconds' } } }, 'Request decode failed: time: invalid duration "10 seconds"'],
    [{ ...base, Check: { Name: 'c', Definition: { Interval: '10' } } }, 'Request decode failed: time: missing unit in duration "10"'],
    [{ ...base, Tags: 'x', TaggedAddresses: { lan: 1 } }, 'cannot unmarshal number 1 into Go struct field RegisterRequest.TaggedAddresses of type string'],
  ])('refuses %j with a 400: %s', (body, message) => {
    let err: any;
    try {
      decode(body);
    } catch (e) {
      err = e;
    }
    expect(err?.status).toBe(400);
    expect(err.message).toContain(message);
  });

  it('refuses another datacenter as Consul does when it cannot forward', () => {
    expect(() => decode({ ...base, Datacenter: 'dc9' })).toThrow('No path to datacenter');
    expect(decode({ ...base, Datacenter: 'dc1' }).Node.Datacenter).toBe('dc1');
  });
});

describe('decodeCatalogDeregister', () => {
  it('reads the node and an optional service or check', () => {
    expect(decodeCatalogDeregister({ node: 'n1', serviceid: 'web' }, 'dc1')).toEqual({ Node: 'n1', ServiceID: 'web' });
    expect(decodeCatalogDeregister({ Node: 'n1', CheckID: 'c' }, 'dc1')).toEqual({ Node: 'n1', CheckID: 'c' });
    expect(() => decodeCatalogDeregister({}, 'dc1')).toThrow('Must provide node');
  });
});
