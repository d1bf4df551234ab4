/** Validation of the traffic-management kinds: bad entries and the exact reason each is refused with. */
import { describe, expect, it } from 'vitest';
import { decodeConfigEntry } from './index.js';

type Raw = Record<string, unknown>;
const router = (routes: unknown[]): Raw => ({ Kind: 'service-router', Name: 'web', Routes: routes });
const match = (http: Raw, destination?: Raw): Raw => ({ Match: { HTTP: http }, ...(destination ? { Destination: destination } : {}) });
const splitter = (splits: unknown[]): Raw => ({ Kind: 'service-splitter', Name: 'web', Splits: splits });
const resolver = (fields: Raw): Raw => ({ Kind: 'service-resolver', Name: 'web', ...fields });
const defaults = (fields: Raw): Raw => ({ Kind: 'service-defaults', Name: 'web', ...fields });

const bad: [string, Raw, string][] = [
  ['unknown kind', { Kind: 'service-routr', Name: 'web' }, 'invalid config entry kind: service-routr'],
  ['unknown field', router([{ Match: { HTTP: { PathPrefx: '/' } } }]), 'Request decoding failed: invalid config key "Routes[0].Match.HTTP.PathPrefx"'],
  ['wrong type', resolver({ ConnectTimeout: 'soon' }), 'Request decoding failed: ConnectTimeout: time: invalid duration "soon"'],
  // service-router
  ['path without slash', router([match({ PathPrefix: 'admin' })]), `Route[0] PathPrefix doesn't start with '/': "admin"`],
  ['exact path without slash', router([match({ PathExact: 'admin' })]), `Route[0] PathExact doesn't start with '/': "admin"`],
  ['two path matches', router([match({ PathPrefix: '/a', PathRegex: '/b.*' })]), 'Route[0] should only contain at most one of PathExact, PathPrefix, or PathRegex'],
  ['bad path regex', router([match({ PathRegex: '/(unclosed' })]), 'Route[0] PathRegex is not a valid regular expression: Invalid regular expression: //(unclosed/: Unterminated group'],
  ['header without name', router([{}, match({ Header: [{ Exact: 'x' }] })]), 'Route[1] Header[0] missing required Name field'],
  ['header with two matches', router([match({ Header: [{ Name: 'x-a', Exact: 'x', Prefix: 'y' }] })]), 'Route[0] Header[0] should only contain one of Present, Exact, Prefix, Suffix, or Regex'],
  ['header with no match', router([match({ Header: [{ Name: 'x-a', Invert: true }] })]), 'Route[0] Header[0] should only contain one of Present, Exact, Prefix, Suffix, or Regex'],
  ['bad header regex', router([match({ Header: [{ Name: 'x-a', Regex: '[' }] })]), 'Route[0] Header[0] Regex is not a valid regular expression'],
  ['query without name', router([match({ QueryParam: [{ Present: true }] })]), 'Route[0] QueryParam[0] missing required Name field'],
  ['query with two matches', router([match({ QueryParam: [{ Name: 'q', Present: true, Exact: '1' }] })]), 'Route[0] QueryParam[0] should only contain one of Present, Exact, or Regex'],
  ['bad method', router([match({ Methods: ['GET', 'FETCH'] })]), 'Route[0] Methods contains an invalid method "FETCH"'],
  ['method twice', router([match({ Methods: ['get', 'GET'] })]), 'Route[0] Methods contains "GET" more than once'],
  ['prefix rewrite without path', router([match({ Header: [{ Name: 'x', Present: true }] }, { PrefixRewrite: '/' })]), 'Route[0] cannot make use of PrefixRewrite without configuring either PathExact or PathPrefix'],
  ['bad retry condition', router([match({ PathPrefix: '/' }, { RetryOn: ['5xx', 'sometimes'] })]), 'Route[0] contains an invalid retry condition: "sometimes"'],
  ['negative retries', router([match({ PathPrefix: '/' }, { NumRetries: -1 })]), 'Route[0] NumRetries cannot be negative'],
  ['negative per-try timeout', router([match({ PathPrefix: '/' }, { PerTryTimeout: '-1s' })]), 'Route[0] PerTryTimeout cannot be negative'],
  ['status code', router([match({ PathPrefix: '/' }, { RetryOnStatusCodes: [503, 42] })]), 'Route[0] RetryOnStatusCodes contains 42, which is not an HTTP status code'],
  ['other namespace', router([match({ PathPrefix: '/' }, { Service: 'api', Namespace: 'team' })]), 'Route[0].Destination.Namespace "team" is not supported: Weft has only the default namespace'],
  // service-splitter
  ['no splits', splitter([]), 'no splits configured'],
  ['weights below 100', splitter([{ Weight: 90, ServiceSubset: 'v1' }, { Weight: 9.99, ServiceSubset: 'v2' }]), 'the sum of all split weights must be 100, not 99.99'],
  ['weights above 100', splitter([{ Weight: 90 }, { Weight: 10.5, Service: 'api' }]), 'the sum of all split weights must be 100, not 100.50'],
  ['negative weight', splitter([{ Weight: 110, ServiceSubset: 'v1' }, { Weight: -10, ServiceSubset: 'v2' }]), 'Splits[0].Weight must be between 0 and 100, not 110.00'],
  ['duplicate split', splitter([{ Weight: 50, ServiceSubset: 'v1' }, { Weight: 50, Service: 'web', ServiceSubset: 'v1' }]), 'split destination occurs more than once: service="web", subset="v1", namespace="", partition=""'],
  // service-resolver
  ['bad subset name', resolver({ Subsets: { V1: {} } }), `Subset "V1" is invalid: must be 63 characters or fewer, begin or end with lower case alphanumeric characters, and contain lower case alphanumeric characters or '-' in between`],
  ['bad subset filter', resolver({ Subsets: { v1: { Filter: 'Service.Meta.version ==' } } }), 'Filter for subset "v1" is not a valid expression: Failed to create boolean expression evaluator: 1:24 (23): no match found'],
  ['unknown default subset', resolver({ DefaultSubset: 'v1' }), 'DefaultSubset "v1" is not a valid subset'],
  ['redirect and failover', resolver({ Redirect: { Service: 'api' }, Failover: { '*': { Service: 'db' } } }), 'Redirect and Failover cannot both be set'],
  ['empty redirect', resolver({ Redirect: {} }), 'Redirect is empty'],
  ['redirect subset alone', resolver({ Redirect: { ServiceSubset: 'v1' } }), 'Redirect.ServiceSubset defined without Redirect.Service'],
  ['redirect to own missing subset', resolver({ Redirect: { Service: 'web', ServiceSubset: 'v9' } }), 'Redirect.ServiceSubset "v9" is not a valid subset of "web"'],
  [
    'redirect with subsets',
    resolver({ Redirect: { Service: 'api' }, Subsets: { v1: { Filter: 'Service.Meta.v == 1' } } }),
    'Redirect to service "api" cannot be combined with Subsets or DefaultSubset: they would never be used',
  ],
  ['redirect to a peer', resolver({ Redirect: { Service: 'api', Peer: 'other' } }), 'Redirect.Peer "other" is not supported: Weft has no cluster peering'],
  ['failover for unknown subset', resolver({ Failover: { v1: { Service: 'api' } } }), 'Bad Failover["v1"]: not a valid subset subset'],
  ['empty failover', resolver({ Failover: { '*': {} } }), 'Bad Failover["*"]: one of Service, ServiceSubset, Namespace, Targets, or Datacenters is required'],
  ['failover to missing subset', resolver({ Failover: { '*': { ServiceSubset: 'v2' } } }), 'Bad Failover["*"]: ServiceSubset "v2" is not a valid subset of "web"'],
  ['targets and datacenters', resolver({ Failover: { '*': { Datacenters: ['dc2'], Targets: [{ Service: 'api' }] } } }), 'Bad Failover["*"]: Targets cannot be set with Datacenters'],
  ['targets and service', resolver({ Failover: { '*': { Service: 'db', Targets: [{ Service: 'api' }] } } }), 'Bad Failover["*"]: Targets cannot be set with Service'],
  ['target missing subset', resolver({ Failover: { '*': { Targets: [{ ServiceSubset: 'v3' }] } } }), 'Bad Failover["*"].Targets[0]: ServiceSubset "v3" is not a valid subset of "web"'],
  ['empty datacenter', resolver({ Failover: { '*': { Datacenters: ['dc2', ''] } } }), 'Bad Failover["*"].Datacenters: found empty datacenter'],
  ['bad failover policy', resolver({ Failover: { '*': { Service: 'db', Policy: { Mode: 'fastest' } } } }), `Bad Failover["*"]: Policy must be one of '', 'default', or 'order-by-locality'`],
  ['negative connect timeout', resolver({ ConnectTimeout: '-1s' }), "Bad ConnectTimeout '-1s', must be >= 0"],
  ['unknown policy', resolver({ LoadBalancer: { Policy: 'fastest' } }), 'Bad LoadBalancer policy: "fastest" is not supported'],
  ['ring config for maglev', resolver({ LoadBalancer: { Policy: 'maglev', RingHashConfig: { MinimumRingSize: 2 } } }), 'Bad LoadBalancer configuration. RingHashConfig specified for incompatible load balancing policy "maglev"'],
  ['hash for round robin', resolver({ LoadBalancer: { Policy: 'round_robin', HashPolicies: [{ SourceIP: true }] } }), 'Bad LoadBalancer configuration: HashPolicies specified for non-hash-based Policy: "round_robin"'],
  ['unknown hash field', resolver({ LoadBalancer: { Policy: 'ring_hash', HashPolicies: [{ Field: 'body', FieldValue: 'x' }] } }), 'Bad LoadBalancer HashPolicy[0]: "body" is not a supported field'],
  ['source ip and field', resolver({ LoadBalancer: { Policy: 'maglev', HashPolicies: [{ SourceIP: true, Field: 'header', FieldValue: 'x' }] } }), 'Bad LoadBalancer HashPolicy[0]: A single hash policy cannot hash both a source address and a "header"'],
  ['field without value', resolver({ LoadBalancer: { Policy: 'maglev', HashPolicies: [{ Field: 'header' }] } }), 'Bad LoadBalancer HashPolicy[0]: Field "header" was specified without a FieldValue'],
  ['cookie config on header', resolver({ LoadBalancer: { Policy: 'maglev', HashPolicies: [{ Field: 'header', FieldValue: 'x', CookieConfig: { Path: '/' } }] } }), 'Bad LoadBalancer HashPolicy[0]: cookie_config provided for "header"'],
  [
    'session cookie with ttl',
    resolver({ LoadBalancer: { Policy: 'ring_hash', HashPolicies: [{ Field: 'cookie', FieldValue: 'id', CookieConfig: { Session: true, TTL: '10s' } }] } }),
    'Bad LoadBalancer HashPolicy[0]: a session cookie cannot have an associated TTL',
  ],
  // service-defaults and proxy-defaults
  ['unknown protocol', defaults({ Protocol: 'redis' }), 'invalid value for Protocol: "redis", must be one of tcp, http, http2, grpc'],
  ['wildcard defaults', { Kind: 'service-defaults', Name: '*' }, 'service-defaults name must be the name of a service, and not a wildcard'],
  ['bad mesh gateway mode', defaults({ MeshGateway: { Mode: 'far' } }), 'MeshGateway: Invalid Mesh Gateway Mode: "far"'],
  ['bad proxy mode', defaults({ Mode: 'sideways' }), 'Invalid Proxy Mode: "sideways"'],
  ['upstream override without name', defaults({ UpstreamConfig: { Overrides: [{ ConnectTimeoutMs: 10 }] } }), 'error in upstream override for : Name is required'],
  ['named upstream defaults', defaults({ UpstreamConfig: { Defaults: { Name: 'db' } } }), 'error in upstream defaults: Name must be empty'],
  ['negative limit', defaults({ UpstreamConfig: { Defaults: { Limits: { MaxConnections: -1 } } } }), 'error in upstream defaults: max connections cannot be negative'],
  ['negative interval', defaults({ UpstreamConfig: { Overrides: [{ Name: 'db', PassiveHealthCheck: { Interval: '-1s' } }] } }), 'error in upstream override for db: passive health check interval cannot be negative'],
  ['ejection percent', defaults({ UpstreamConfig: { Defaults: { PassiveHealthCheck: { MaxEjectionPercent: 150 } } } }), 'error in upstream defaults: passive health check MaxEjectionPercent is a percentage and cannot exceed 100'],
  ['upstreams and destination', defaults({ UpstreamConfig: { Defaults: {} }, Destination: { Addresses: ['a.example'], Port: 443 } }), 'UpstreamConfig and Destination are mutually exclusive for service defaults'],
  ['destination port', defaults({ Destination: { Addresses: ['a.example'] } }), 'Invalid Port number 0'],
  ['inbound balance', defaults({ BalanceInboundConnections: 'round' }), 'invalid value for balance_inbound_connections: round'],
  ['proxy-defaults name', { Kind: 'proxy-defaults', Name: 'mine' }, 'invalid name ("mine"), only "global" is supported'],
  ['access log path', { Kind: 'proxy-defaults', Name: 'global', AccessLogs: { Enabled: true, Path: '/tmp/x' } }, 'path is only valid for file type access logs'],
  ['access log type', { Kind: 'proxy-defaults', Name: 'global', AccessLogs: { Type: 'syslog' } }, 'invalid access log type: syslog'],
  ['mtls mode', { Kind: 'proxy-defaults', Name: 'global', MutualTLSMode: 'loose' }, 'Invalid MutualTLSMode "loose". Must be one of "", "strict", or "permissive".'],
];

describe('traffic-management entries are refused with the reason', () => {
  it.each(bad)('%s', (_name, raw, reason) => {
    expect(() => decodeConfigEntry(raw)).toThrow(reason);
  });
});

describe('traffic-management entries are decoded', () => {
  it('accepts HCL block lists, snake_case keys and Go durations, and normalises weights and methods', () => {
    const e = decodeConfigEntry({
      kind: 'service-router',
      name: 'web',
      routes: [
        {
          match: [{ http: [{ path_prefix: '/admin', methods: ['get'], query_param: [{ name: 'beta', exact: '1' }] }] }],
          destination: [{ service: 'admin', request_timeout: '1500ms', num_retries: 3, retry_on_status_codes: [503], request_headers: [{ set: { 'x-a': '1' } }] }],
        },
      ],
    });
    expect(e.Routes).toEqual([
      {
        Match: { HTTP: { PathPrefix: '/admin', Methods: ['GET'], QueryParam: [{ Name: 'beta', Exact: '1' }] } },
        Destination: { Service: 'admin', RequestTimeout: '1.5s', NumRetries: 3, RetryOnStatusCodes: [503], RequestHeaders: { Set: { 'x-a': '1' } } },
      },
    ]);
    const s = decodeConfigEntry({ Kind: 'service-splitter', Name: 'web', Splits: [{ Weight: 33.331, ServiceSubset: 'a' }, { Weight: 33.33, ServiceSubset: 'b' }, { Weight: 33.336, ServiceSubset: 'c' }] });
    expect((s.Splits as { Weight: number }[]).map((x) => x.Weight)).toEqual([33.33, 33.33, 33.34]);
  });

  it('keeps Consul duration encodings: strings for timeouts, nanoseconds for PassiveHealthCheck and cookie TTLs, zero left out', () => {
    const r = decodeConfigEntry(resolver({ connect_timeout: 15_000_000_000, request_timeout: '0s', load_balancer: { policy: 'maglev', hash_policies: [{ field: 'cookie', field_value: 'id', cookie_config: { ttl: '1m' } }] } }));
    expect(r).toMatchObject({ ConnectTimeout: '15s', LoadBalancer: { HashPolicies: [{ CookieConfig: { TTL: 60_000_000_000 } }] } });
    expect(r).not.toHaveProperty('RequestTimeout');
    const d = decodeConfigEntry(defaults({ upstream_config: { defaults: { passive_health_check: { interval: '10s', max_failures: 5, enforcing_consecutive_5xx: 80, base_ejection_time: '30s' } } } }));
    expect(d.UpstreamConfig).toEqual({ Defaults: { PassiveHealthCheck: { Interval: 10_000_000_000, MaxFailures: 5, EnforcingConsecutive5xx: 80, BaseEjectionTime: 30_000_000_000 } } });
  });

  it('names proxy-defaults "global" when the name is left out, as Consul does', () => {
    expect(decodeConfigEntry({ Kind: 'proxy-defaults', Config: { protocol: 'http' } })).toMatchObject({ Kind: 'proxy-defaults', Name: 'global' });
  });

  it('ignores the indexes of an entry read back, and drops the default namespace', () => {
    const e = decodeConfigEntry({ Kind: 'service-router', Name: 'web', CreateIndex: 5, ModifyIndex: 9, Routes: [match({ PathPrefix: '/' }, { Service: 'api', Namespace: 'default' })] });
    expect(e).toEqual({ Kind: 'service-router', Name: 'web', Routes: [match({ PathPrefix: '/' }, { Service: 'api' })] });
  });
});
