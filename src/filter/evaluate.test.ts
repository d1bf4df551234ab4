import { describe, expect, it } from 'vitest';
import { compileFilter } from './index.js';

/** A /v1/catalog/service/:name entry. */
const catalogEntry = {
  ID: '40e4a748-2192-161a-0510-9bf59fe950b5',
  Node: 'n1',
  Address: '10.0.0.1',
  Datacenter: 'dc1',
  TaggedAddresses: { lan: '10.0.0.1', wan: '198.18.0.1' },
  NodeMeta: { 'consul-network-segment': '', rack: 'r1', 'team/owner': 'edge' },
  ServiceKind: '',
  ServiceID: 'web-1',
  ServiceName: 'web',
  ServiceTags: ['v1', 'prod'],
  ServiceAddress: '',
  ServiceMeta: { env: 'prod', version: '1.2.3', 'some key': 'x' },
  ServicePort: 8080,
  ServiceWeights: { Passing: 1, Warning: 1 },
  ServiceEnableTagOverride: false,
  ServiceProxy: { MeshGateway: {}, Upstreams: [] },
  Namespace: null,
  CreateIndex: 10,
  ModifyIndex: 12,
};

/** A /v1/health/service/:name entry: one passing node check, one critical service check. */
const healthEntry = {
  Node: { ID: '40e4a748', Node: 'n1', Address: '10.0.0.1', Datacenter: 'dc1', Meta: { rack: 'r1' } },
  Service: { ID: 'web-1', Service: 'web', Tags: ['v1'], Meta: { env: 'prod' }, Port: 8080, EnableTagOverride: false },
  Checks: [
    { Node: 'n1', CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing', Notes: '',
      Output: 'Agent alive and reachable', ServiceID: '', ServiceName: '', ServiceTags: [] },
    { Node: 'n1', CheckID: 'service:web-1', Name: 'Service web check', Status: 'critical', Notes: '',
      Output: 'HTTP GET http://10.0.0.1:8080/health: 503', ServiceID: 'web-1', ServiceName: 'web', ServiceTags: ['v1'] },
  ],
};

type Row = [expression: string, value: unknown, expected: boolean];

function table(rows: Row[]): void {
  it.each(rows)('%s', (expression, value, expected) => {
    expect(compileFilter(expression).matches(value)).toBe(expected);
  });
}

const c = catalogEntry;
const h = healthEntry;

describe('== and !=', () => {
  table([
    ['ServiceName == "web"', c, true],
    ['ServiceName == "api"', c, false],
    ['ServiceName != "api"', c, true],
    ['ServiceName != "web"', c, false],
    ['ServiceName == web', c, true],
    ['ServiceName == `web`', c, true],
    ['ServiceName=="web"', c, true],
    ['ServiceMeta.env == prod', c, true],
    ['ServiceMeta["some key"] == "x"', c, true],
    ['NodeMeta["team/owner"] == edge', c, true],
    ['TaggedAddresses[ "wan" ].x == "y"', c, false],
    ['ServiceTags == "v1"', c, false],
    ['ServiceMeta == "prod"', c, false],
    ['Service.Meta.env == "prod"', h, true],
    ['Node.Meta.rack != r1', h, false],
    ['Mode == in', { Mode: 'in' }, true],
  ]);
});

describe('numbers and booleans compare by the field’s runtime type', () => {
  table([
    ['ServicePort == 8080', c, true],
    ['ServicePort == "8080"', c, true],
    ['ServicePort == "0x1F90"', c, true], // coerced like Go's ParseInt(s, 0, 64)
    ['ServicePort != 8081', c, true],
    ['ServicePort == "abc"', c, false],
    ['ServicePort != "abc"', c, true],
    ['ServiceWeights.Passing == 1.0', c, true],
    ['Offset == -5', { Offset: -5 }, true],
    ['Offset == -5.5', { Offset: -5.5 }, true],
    ['Version == 5', { Version: '5' }, true],
    ['ServiceEnableTagOverride == false', c, true],
    ['ServiceEnableTagOverride == "false"', c, true],
    ['ServiceEnableTagOverride == 0', c, true],
    ['ServiceEnableTagOverride == true', c, false],
    ['ServiceEnableTagOverride != true', c, true],
    ['ServiceEnableTagOverride == yes', c, false],
  ]);
});

describe('is empty / is not empty', () => {
  table([
    ['ServiceAddress is empty', c, true],
    ['ServiceName is empty', c, false],
    ['ServiceTags is not empty', c, true],
    ['ServiceProxy.Upstreams is empty', c, true],
    ['ServiceProxy.MeshGateway is empty', c, true],
    ['ServiceMeta is not empty', c, true],
    ['NodeMeta["consul-network-segment"] is empty', c, true],
    ['Namespace is empty', c, true],
    ['ServicePort is empty', c, false],
    ['Missing is empty', c, true],
    ['Missing is not empty', c, false],
    ['ServiceMeta.missing is empty', c, true],
    ['ServiceName.deeper is empty', c, true],
    ['constructor is empty', c, true],
  ]);
});

describe('in / contains', () => {
  table([
    ['"v1" in ServiceTags', c, true],
    ['"v2" in ServiceTags', c, false],
    ['"v2" not in ServiceTags', c, true],
    ['v1 in ServiceTags', c, true],
    ['ServiceTags contains "prod"', c, true],
    ['ServiceTags not contains "prod"', c, false],
    ['"env" in ServiceMeta', c, true],
    ['ServiceMeta contains "ENV"', c, false],
    ['"missing" not in ServiceMeta', c, true],
    ['"toString" in ServiceMeta', c, false],
    ['"we" in ServiceName', c, true],
    ['ServiceName contains "eb"', c, true],
    ['ServiceName not contains "x"', c, true],
    ['443 in Ports', { Ports: [80, 443] }, true],
    ['"443" in Ports', { Ports: [80, 443] }, true],
    ['true in Flags', { Flags: [false, true] }, true],
    ['"80" in ServicePort', c, false],
    ['"a" in Missing', c, false],
    ['"a" not in Missing', c, true],
    ['Missing contains "a"', c, false],
  ]);
});

describe('matches / not matches', () => {
  table([
    ['ServiceName matches "^w.b$"', c, true],
    ['ServiceName not matches "^api"', c, true],
    ['ServiceName matches "^api"', c, false],
    ['ServiceMeta.version matches `^1\\.\\d\\.3$`', c, true],
    ['ServiceMeta.version matches "^1\\\\.2"', c, true],
    ['ServiceName matches "(?i)^WEB$"', c, true],
    ['ServiceName matches "^WEB$"', c, false],
    ['ServicePort matches "80"', c, false],
    ['Missing matches ".*"', c, false],
    ['Missing not matches "x"', c, true],
  ]);
});

describe('field names: exact first, then case-insensitive', () => {
  table([
    ['servicename == web', c, true],
    ['SERVICEMETA.env == prod', c, true],
    ['name == lower and Name == upper', { Name: 'upper', name: 'lower' }, true],
    ['not == x', { not: 'x' }, true],
    ['not not == x', { not: 'x' }, false],
  ]);
});

describe('selecting through an array of objects', () => {
  const noChecks = { ...h, Checks: [] };
  table([
    ['Checks.Status == passing', h, true],
    ['Checks.Status == warning', h, false],
    ['Checks.Status != critical', h, false],
    ['Checks.Status != warning', h, true],
    ['Checks.CheckID contains "serf"', h, true],
    ['"service:web-1" in Checks.CheckID', h, true],
    ['Checks.ServiceTags contains "v1"', h, true],
    ['"v2" not in Checks.ServiceTags', h, true],
    ['Checks.Output matches "503$"', h, true],
    ['Checks.Output not matches "503$"', h, false],
    ['Checks.Notes is empty', h, true],
    ['Checks.Missing is empty', h, true],
    ['Checks.Status == passing', noChecks, false],
    ['Checks.Status != passing', noChecks, true],
    ['Checks.Status is empty', noChecks, true],
    ['Checks is empty', noChecks, true],
  ]);
});

describe('not > and > or', () => {
  table([
    ['ServiceName == api and ServicePort == 1 or ServiceName == web', c, true],
    ['ServiceName == web or ServiceName == api and ServicePort == 1', c, true],
    ['(ServiceName == web or ServiceName == api) and ServicePort == 1', c, false],
    ['not ServiceName == api and ServicePort == 8080', c, true],
    ['not ServiceName == web and ServicePort == 1', c, false],
    ['not (ServiceName == web and ServicePort == 1)', c, true],
    ['not not ServiceName == web', c, true],
    ['not ServiceName == web or not ServiceName == api', c, true],
    ['((ServiceName == web))', c, true],
    ['ServiceName == a or ServiceName == b or ServiceName == c or ServiceName == web', c, true],
    ['ServiceName == web and ServicePort == 8080 and "v1" in ServiceTags and ServiceMeta.env == dev', c, false],
    ['ServiceName == web\n\tand ServicePort == 8080', c, true],
    ['Service.Service == web and Checks.Status == critical', h, true],
  ]);
});

describe('values that are not objects', () => {
  table([
    ['ServiceName is empty', null, true],
    ['ServiceName == web', 'web', false],
    ['ServiceName != web', 42, true],
  ]);
});
