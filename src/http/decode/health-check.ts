import { WeftError } from '../../lib/errors.js';
import type { CheckInput, HealthStatus } from '../../state/index.js';
import { checkDefinitionJson } from '../shapes/check.js';
import { decodeFailed, type FieldReader } from './fields.js';

const STATUSES = new Set(['passing', 'warning', 'critical']);

/**
 * A check Definition (`structs.HealthCheckDefinition`): fields type-checked, durations parsed
 * (Go strings or nanoseconds), then stored in Consul's rendered form so reads need no work.
 */
export function decodeCheckDefinition(r: FieldReader | undefined): Record<string, unknown> {
  if (!r) return {};
  const def: Record<string, unknown> = {};
  for (const f of ['HTTP', 'TLSServerName', 'Method', 'Body', 'TCP', 'UDP', 'H2PING', 'OSService', 'DockerContainerID', 'Shell', 'GRPC', 'AliasNode', 'AliasService']) {
    def[f] = r.string(f);
  }
  for (const f of ['TLSSkipVerify', 'DisableRedirects', 'TCPUseTLS', 'H2PingUseTLS', 'GRPCUseTLS']) def[f] = r.bool(f);
  // `<Field>Duration` is the Go api client's name for the same value; the npm `consul` client sends it.
  for (const f of ['Interval', 'Timeout', 'DeregisterCriticalServiceAfter', 'TTL']) {
    const ms = r.duration([f, `${f}Duration`]);
    if (ms !== undefined) def[f] = Math.round(ms * 1e6);
  }
  def.OutputMaxSize = r.int('OutputMaxSize', { min: 0, goType: 'uint' });
  def.ScriptArgs = r.stringList(['ScriptArgs', 'Args']);
  const header = r.object('Header');
  if (header) {
    const h: Record<string, string[]> = {};
    for (const k of Object.keys(header.value)) h[k] = header.stringList([k]) ?? [];
    def.Header = h;
  }
  return checkDefinitionJson(def);
}

/** The check type Consul derives from a definition when the registration names none (`CheckType.Type`). */
export function checkTypeOf(def: Readonly<Record<string, unknown>>): string {
  const interval = typeof def.Interval === 'string' && def.Interval !== '';
  const args = Array.isArray(def.ScriptArgs) && def.ScriptArgs.length > 0;
  if (def.GRPC && interval) return 'grpc';
  if (def.HTTP && interval) return 'http';
  if (def.TTL) return 'ttl';
  if (def.TCP && interval) return 'tcp';
  if (def.UDP && interval) return 'udp';
  if (def.AliasService) return 'alias';
  if (args && interval && def.DockerContainerID) return 'docker';
  if (args && interval) return 'script';
  if (def.H2PING && interval) return 'h2ping';
  if (def.OSService && interval) return 'os_service';
  return '';
}

/**
 * One check of a catalog registration (`structs.HealthCheck`). CheckID defaults to Name,
 * Status to critical; a check naming another node than the registration's is refused.
 */
export function decodeCatalogCheck(r: FieldReader, node: string): CheckInput {
  const checkNode = r.string('Node');
  const name = r.string('Name');
  const id = r.string('CheckID') || name;
  if (!id) throw new WeftError('BAD_REQUEST', 'Must provide check name (Check.Name) or ID (Check.CheckID)');
  if (checkNode && checkNode.toLowerCase() !== node.toLowerCase()) {
    throw new WeftError('BAD_REQUEST', `Node '${checkNode}' for check '${id}' doesn't match register request node '${node}'`);
  }
  const status = r.string('Status') || 'critical';
  if (!STATUSES.has(status)) throw new WeftError('BAD_REQUEST', `Bad check status "${status}" for check "${id}": must be passing, warning or critical`);
  const definition = decodeCheckDefinition(r.object('Definition'));
  const interval = r.raw('Interval');
  const timeout = r.raw('Timeout');
  for (const [field, v] of [['Interval', interval], ['Timeout', timeout]] as const) {
    if (v !== undefined && typeof v !== 'string') throw decodeFailed(`json: cannot unmarshal ${typeof v} into Go struct field ${r.path}.${field} of type string`);
  }
  return {
    CheckID: id,
    Name: name,
    Status: status as HealthStatus,
    Notes: r.string('Notes'),
    Output: r.string('Output'),
    ServiceID: r.string('ServiceID'),
    Type: r.string('Type') || checkTypeOf(definition),
    Interval: (interval as string | undefined) ?? '',
    Timeout: (timeout as string | undefined) ?? '',
    ExposedPort: r.int('ExposedPort', { min: 0, max: 65535 }) ?? 0,
    Definition: definition,
  };
}
