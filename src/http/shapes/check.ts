import { formatDuration, parseDuration } from '../../lib/duration.js';
import type { CheckRow } from '../../state/index.js';
import { cachedShape } from './cache.js';

/**
 * A stored check Definition uses Consul's HealthCheckDefinition field names. Durations may
 * be Go duration strings ("10s") or nanosecond numbers; `Args` is accepted for ScriptArgs.
 * Rendering follows Consul's `structs.HealthCheckDefinition.MarshalJSON`: every field is
 * omitempty, Interval/Timeout/DeregisterCriticalServiceAfter become Go duration strings,
 * and TTL stays a nanosecond number (Consul does not convert it).
 */
const STRING_FIELDS = ['HTTP', 'TLSServerName', 'Method', 'Body', 'TCP', 'UDP', 'H2PING', 'OSService', 'DockerContainerID', 'Shell', 'GRPC', 'AliasNode', 'AliasService', 'SessionName'];
const BOOL_FIELDS = ['TLSSkipVerify', 'DisableRedirects', 'TCPUseTLS', 'H2PingUseTLS', 'GRPCUseTLS'];
const DURATION_FIELDS = ['Interval', 'Timeout', 'DeregisterCriticalServiceAfter'];

function durationMs(value: unknown): number {
  if (typeof value === 'number') return value / 1e6;
  if (typeof value === 'string' && value !== '') {
    try {
      return parseDuration(value);
    } catch {
      return 0;
    }
  }
  return 0;
}

/** Consul's wire form of a check definition; `{}` for checks that carry none (serfHealth, catalog checks). */
export function checkDefinitionJson(def: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!def) return out;
  for (const f of DURATION_FIELDS) {
    const ms = durationMs(def[f]);
    if (ms !== 0) out[f] = formatDuration(ms);
  }
  const outputMax = def.OutputMaxSize;
  if (typeof outputMax === 'number' && outputMax > 0) out.OutputMaxSize = outputMax;
  for (const f of STRING_FIELDS) {
    if (typeof def[f] === 'string' && def[f] !== '') out[f] = def[f];
  }
  for (const f of BOOL_FIELDS) {
    if (def[f] === true) out[f] = true;
  }
  const header = def.Header;
  if (header && typeof header === 'object' && Object.keys(header).length > 0) out.Header = header;
  const args = def.ScriptArgs ?? def.Args;
  if (Array.isArray(args) && args.length > 0) out.ScriptArgs = args;
  const ttlMs = durationMs(def.TTL);
  if (ttlMs !== 0) out.TTL = Math.round(ttlMs * 1e6);
  return out;
}

/**
 * Consul's HealthCheck JSON (`structs.HealthCheck`), the shape every check takes in every
 * answer: ServiceTags is `[]`, never null (Consul's handlers replace nil), and Definition
 * is always an object.
 */
export function healthCheckJson(c: CheckRow): Record<string, unknown> {
  return cachedShape(c, () => ({
    Node: c.Node,
    CheckID: c.CheckID,
    Name: c.Name,
    Status: c.Status,
    Notes: c.Notes,
    Output: c.Output,
    ServiceID: c.ServiceID,
    ServiceName: c.ServiceName,
    ServiceTags: c.ServiceTags ?? [],
    Type: c.Type,
    Interval: c.Interval,
    Timeout: c.Timeout,
    ExposedPort: c.ExposedPort,
    Definition: checkDefinitionJson(c.Definition),
    CreateIndex: c.CreateIndex,
    ModifyIndex: c.ModifyIndex,
  }));
}
