import { describe, expect, it } from 'vitest';
import { isWeftError } from '../lib/errors.js';
import { isEmptyCheckDefinition, parseCheckDefinition, type ParseContext } from './index.js';

function rejection(raw: Record<string, unknown>, ctx?: ParseContext): string {
  try {
    parseCheckDefinition(raw, ctx);
  } catch (err) {
    return isWeftError(err, 'BAD_REQUEST') ? err.message : `unexpected ${String(err)}`;
  }
  return 'accepted';
}

describe('parseCheckDefinition', () => {
  it('reads an API-style HTTP check with Consul defaults', () => {
    const def = parseCheckDefinition({
      ID: 'api',
      Name: 'API health',
      ServiceID: 'api-1',
      HTTP: 'https://127.0.0.1:8443/health',
      Method: 'POST',
      Header: { Authorization: ['Bearer x'] },
      Body: '{}',
      TLSSkipVerify: true,
      Interval: '15s',
      Notes: 'checks /health',
    });
    expect(def).toEqual({
      id: 'api',
      name: 'API health',
      serviceId: 'api-1',
      type: 'http',
      notes: 'checks /health',
      intervalMs: 15_000,
      timeoutMs: 10_000,
      http: 'https://127.0.0.1:8443/health',
      method: 'POST',
      header: { Authorization: ['Bearer x'] },
      body: '{}',
      tlsSkipVerify: true,
      successBeforePassing: 0,
      failuresBeforeWarning: 0,
      failuresBeforeCritical: 0,
      outputMaxSize: 4096,
      initialStatus: 'critical',
      definition: {
        Interval: '15s',
        HTTP: 'https://127.0.0.1:8443/health',
        TLSSkipVerify: true,
        Header: { Authorization: ['Bearer x'] },
        Method: 'POST',
        Body: '{}',
      },
    });
  });

  it('accepts snake_case config-file spellings', () => {
    const def = parseCheckDefinition({
      check_id: 'db',
      name: 'db',
      tcp: 'localhost:5432',
      tcp_use_tls: true,
      tls_server_name: 'db.internal',
      interval: '5s',
      timeout: '1s',
      deregister_critical_service_after: '90m',
      success_before_passing: 2,
      failures_before_critical: 3,
      output_max_size: 512,
      status: 'passing',
    });
    expect(def).toMatchObject({
      id: 'db',
      type: 'tcp',
      tcp: 'localhost:5432',
      tcpUseTls: true,
      tlsServerName: 'db.internal',
      intervalMs: 5000,
      timeoutMs: 1000,
      deregisterCriticalServiceAfterMs: 90 * 60_000,
      successBeforePassing: 2,
      failuresBeforeCritical: 3,
      failuresBeforeWarning: 3,
      outputMaxSize: 512,
      initialStatus: 'passing',
    });
    expect(def.definition).toEqual({
      Interval: '5s',
      Timeout: '1s',
      OutputMaxSize: 512,
      DeregisterCriticalServiceAfter: '1h30m0s',
      TCP: 'localhost:5432',
      TCPUseTLS: true,
      TLSServerName: 'db.internal',
    });
  });

  it('recognises every check type', () => {
    const type = (raw: Record<string, unknown>) => parseCheckDefinition({ Name: 'x', ...raw }).type;
    expect(type({ UDP: 'h:53', Interval: '10s' })).toBe('udp');
    expect(type({ GRPC: 'h:9090/svc', GRPCUseTLS: true, Interval: '10s' })).toBe('grpc');
    expect(type({ H2PING: 'h:443', Interval: '10s' })).toBe('h2ping');
    expect(type({ Args: ['/bin/true'], Interval: '10s' })).toBe('script');
    expect(type({ ScriptArgs: ['/bin/true'], Interval: '10s' })).toBe('script');
    expect(type({ script_args: ['/bin/true'], interval: '10s' })).toBe('script');
    expect(type({ TTL: '30s' })).toBe('ttl');
    expect(type({ AliasService: 'web' })).toBe('alias');
    expect(type({ alias_node: 'n1' })).toBe('alias');
  });

  it('applies per-type defaults: script timeout 30s, h2ping over TLS, 1s interval floor, TTL in ns in the definition', () => {
    expect(parseCheckDefinition({ Name: 's', Args: ['true'], Interval: '10s' }).timeoutMs).toBe(30_000);
    const h2 = parseCheckDefinition({ Name: 'h', H2PING: 'h:443', Interval: '100ms' });
    expect(h2).toMatchObject({ h2pingUseTls: true, intervalMs: 1000 });
    expect(h2.definition).toMatchObject({ H2PingUseTLS: true, Interval: '100ms' });
    expect(parseCheckDefinition({ Name: 'h', H2PING: 'h:80', h2ping_use_tls: false, Interval: '1s' }).h2pingUseTls).toBe(false);
    const ttl = parseCheckDefinition({ Name: 't', TTL: '30s' });
    expect(ttl).toMatchObject({ ttlMs: 30_000, intervalMs: 0, timeoutMs: 0 });
    expect(ttl.definition).toEqual({ TTL: 30_000_000_000 });
  });

  it('takes Go nanosecond numbers for durations, as Consul\'s JSON does', () => {
    expect(parseCheckDefinition({ Name: 'x', TCP: 'h:1', Interval: 5_000_000_000 }).intervalMs).toBe(5000);
  });

  it('names service checks as Consul does', () => {
    expect(parseCheckDefinition({ TTL: '10s' }, { serviceId: 'web-1', serviceName: 'web' })).toMatchObject({
      id: 'service:web-1',
      name: "Service 'web' check",
      serviceId: 'web-1',
    });
    expect(parseCheckDefinition({ TTL: '10s' }, { serviceId: 'web-1', serviceName: 'web', index: 1 }).id).toBe('service:web-1:2');
    expect(parseCheckDefinition({ CheckID: 'mine', TTL: '10s' }, { serviceId: 'web-1' }).id).toBe('mine');
    expect(parseCheckDefinition({ Name: 'solo', TTL: '10s' })).toMatchObject({ id: 'solo', name: 'solo' });
  });

  it('lets a definition lower, not raise, the agent\'s output limit', () => {
    expect(parseCheckDefinition({ Name: 't', TTL: '1s', OutputMaxSize: 100 }, { outputMaxSize: 1000 }).outputMaxSize).toBe(100);
    expect(parseCheckDefinition({ Name: 't', TTL: '1s', OutputMaxSize: 99999 }, { outputMaxSize: 1000 }).outputMaxSize).toBe(1000);
  });

  it('rejects invalid checks with Consul\'s messages', () => {
    expect(rejection({ Name: 'x' })).toBe('Invalid check: TTL must be > 0 for TTL checks');
    expect(rejection({ Name: 'x', HTTP: 'http://h/' })).toBe('Invalid check: Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks');
    expect(rejection({ Name: 'x', TCP: 'h:1', Interval: '-1s' })).toBe('Invalid check: Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks');
    expect(rejection({ Name: 'x', TTL: '10s', Interval: '10s' })).toBe('Invalid check: Interval and TTL cannot both be specified');
    expect(rejection({ Name: 'x', AliasService: 'web', TCP: 'h:1', Interval: '1s' })).toBe('Invalid check: Interval cannot be set for Alias checks');
    expect(rejection({ Name: 'x', AliasService: 'web', TTL: '1s' })).toBe('Invalid check: TTL must be not be set for Alias checks');
    expect(rejection({ Name: 'x', TTL: '1s', OutputMaxSize: -1 })).toBe('Invalid check: MaxOutputMaxSize must be positive');
    expect(rejection({ Name: 'x', TTL: '1s', FailuresBeforeWarning: 2 })).toBe("Invalid check: FailuresBeforeWarning can't be higher than FailuresBeforeCritical");
    expect(rejection({ Name: 'x', TTL: '1s', Status: 'ok' })).toBe("Status for checks must 'passing', 'warning', 'critical'");
    expect(rejection({ TTL: '1s' })).toBe('Missing check name');
  });

  it('rejects what Consul would silently mis-run or cannot decode', () => {
    expect(rejection({ Name: 'x', HTTP: 'http://h/', TCP: 'h:1', Interval: '1s' })).toBe(
      'Invalid check: only one of Args, HTTP, TCP, UDP, GRPC or H2PING may be set (got HTTP and TCP)',
    );
    expect(rejection({ Name: 'x', TCP: 'h:1', Interval: '10' })).toBe('Request decode failed: time: missing unit in duration "10"');
    expect(rejection({ Name: 'x', TCP: 'h:1', Interval: 'soon' })).toBe('Request decode failed: time: invalid duration "soon"');
    expect(rejection({ Name: 'x', HTTP: 42, Interval: '1s' })).toBe('Request decode failed: HTTP must be a string');
    expect(rejection({ Name: 'x', HTTP: 'http://h/', Header: { A: 'b' }, Interval: '1s' })).toBe('Request decode failed: Header["A"] must be a list of strings');
    expect(rejection({ Name: 'x', Script: '/bin/true', Interval: '1s' })).toMatch(/^Invalid check: 'script' was removed/);
    expect(rejection({ Name: 'x', DockerContainerID: 'abc', Args: ['true'], Interval: '1s' })).toMatch(/^Invalid check: Docker checks are not supported/);
  });

  it('merges HCL header blocks and treats empty strings as absent', () => {
    const def = parseCheckDefinition({ name: 'x', http: 'http://h/', header: [{ A: ['1'] }, { B: ['2'] }], tcp: '', interval: '1s' });
    expect(def).toMatchObject({ type: 'http', header: { A: ['1'], B: ['2'] } });
  });
});

describe('isEmptyCheckDefinition', () => {
  it('spots the zero-valued check blocks Consul drops from service definitions', () => {
    expect(isEmptyCheckDefinition({})).toBe(true);
    expect(isEmptyCheckDefinition({ HTTP: '', Interval: '', Header: {}, Args: [] })).toBe(true);
    expect(isEmptyCheckDefinition({ TTL: '10s' })).toBe(false);
  });
});
