import { WeftError } from '../lib/errors.js';
import { consulDefinition } from './definition-json.js';
import { RawFields } from './raw-fields.js';
import { CHECK_STATUSES, type CheckDefinition, type CheckStatus, type CheckType } from './types.js';

/** Consul never runs an interval check more often than this ("we risk fork bombing a system"). */
export const MIN_INTERVAL_MS = 1000;
/** Consul's default `OutputMaxSize` and `check_output_max_size`. */
export const DEFAULT_OUTPUT_MAX_SIZE = 4096;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_SCRIPT_TIMEOUT_MS = 30_000;

export interface ParseContext {
  /** Set for a check inside a service definition: it belongs to that service and gets a default ID and name. */
  serviceId?: string;
  /** The service's name, for the default check name `Service '<name>' check`. */
  serviceName?: string;
  /** Position among the service's checks when it has more than one: the default ID becomes `service:<id>:<index+1>`. */
  index?: number;
  /** The agent's `check_output_max_size`; a definition may lower it, never raise it. */
  outputMaxSize?: number;
}

const invalid = (why: string): WeftError => new WeftError('BAD_REQUEST', `Invalid check: ${why}`);

/**
 * Reads a check from Consul's JSON/HCL shapes (any spelling: `HTTP`, `http`, `tls_skip_verify`,
 * `TLSSkipVerify`, ...), validates it with Consul's rules and messages, and applies Consul's defaults.
 * Throws WeftError BAD_REQUEST on bad input.
 */
export function parseCheckDefinition(raw: Record<string, unknown>, ctx: ParseContext = {}): CheckDefinition {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new WeftError('BAD_REQUEST', 'Request decode failed: a check must be an object');
  const f = new RawFields(raw);

  if (f.has('script')) throw invalid("'script' was removed in Consul 1.1; give the command as 'args' (a list)");
  if (f.str('dockercontainerid')) throw invalid('Docker checks are not supported by Weft; run the command through a script check (args: ["docker", "exec", ...])');
  if (f.str('osservice')) throw invalid('OSService checks are not supported by Weft; use a script check such as args: ["systemctl", "is-active", "<unit>"]');

  const c = {
    http: f.str('http'),
    method: f.str('method'),
    header: f.header('header'),
    body: f.str('body'),
    tlsServerName: f.str('tlsservername'),
    tlsSkipVerify: f.bool('tlsskipverify'),
    disableRedirects: f.bool('disableredirects'),
    tcp: f.str('tcp'),
    tcpUseTls: f.bool('tcpusetls'),
    udp: f.str('udp'),
    grpc: f.str('grpc'),
    grpcUseTls: f.bool('grpcusetls'),
    h2ping: f.str('h2ping'),
    h2pingUseTls: f.bool('h2pingusetls'),
    args: f.strList('args', 'scriptargs'),
    aliasService: f.str('aliasservice'),
    aliasNode: f.str('aliasnode'),
  };
  const intervalMs = f.duration('interval') ?? 0;
  const timeoutMs = f.duration('timeout') ?? 0;
  const ttlMs = f.duration('ttl') ?? 0;
  const deregisterMs = f.duration('deregistercriticalserviceafter') ?? 0;
  const rawOutputMax = f.int('outputmaxsize') ?? 0;
  const successBeforePassing = f.int('successbeforepassing') ?? 0;
  const failuresBeforeCritical = f.int('failuresbeforecritical') ?? 0;
  const failuresBeforeWarningRaw = f.int('failuresbeforewarning') ?? 0;

  // Consul's CheckType.Validate, in its order and words.
  const intervalTypes = (['args', 'http', 'tcp', 'udp', 'grpc', 'h2ping'] as const).filter((k) => c[k] !== undefined);
  const isAlias = c.aliasService !== undefined || c.aliasNode !== undefined;
  if (intervalMs > 0 && ttlMs > 0) throw invalid('Interval and TTL cannot both be specified');
  if (intervalTypes.length > 0 && intervalMs <= 0) throw invalid('Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks');
  if (intervalTypes.length > 0 && isAlias) throw invalid('Interval cannot be set for Alias checks');
  if (isAlias && ttlMs > 0) throw invalid('TTL must be not be set for Alias checks');
  if (intervalTypes.length === 0 && !isAlias && ttlMs <= 0) throw invalid('TTL must be > 0 for TTL checks');
  if (rawOutputMax < 0) throw invalid('MaxOutputMaxSize must be positive');
  if (failuresBeforeWarningRaw > failuresBeforeCritical) throw invalid("FailuresBeforeWarning can't be higher than FailuresBeforeCritical");
  // Consul silently picks one type when several are given; Weft says so instead.
  if (intervalTypes.length > 1) {
    const names = intervalTypes.map((k) => FIELD_NAMES[k]);
    throw invalid(`only one of Args, HTTP, TCP, UDP, GRPC or H2PING may be set (got ${names.join(' and ')})`);
  }
  if (successBeforePassing < 0 || failuresBeforeCritical < 0 || failuresBeforeWarningRaw < 0) {
    throw invalid('SuccessBeforePassing, FailuresBeforeWarning and FailuresBeforeCritical must not be negative');
  }

  const type: CheckType = intervalTypes.length === 1 ? TYPE_OF[intervalTypes[0]] : isAlias ? 'alias' : 'ttl';
  const initialStatus = parseStatus(f.str('status'));
  const { id, name, serviceId } = identity(f, ctx);
  const agentMax = ctx.outputMaxSize && ctx.outputMaxSize > 0 ? ctx.outputMaxSize : DEFAULT_OUTPUT_MAX_SIZE;
  const h2pingUseTls = c.h2ping !== undefined ? c.h2pingUseTls !== false : c.h2pingUseTls;
  const passive = type === 'ttl' || type === 'alias';

  const def: CheckDefinition = {
    id,
    name,
    ...(serviceId !== undefined ? { serviceId } : {}),
    type,
    notes: f.str('notes') ?? '',
    intervalMs: passive ? 0 : Math.max(intervalMs, MIN_INTERVAL_MS),
    timeoutMs: passive ? 0 : timeoutMs > 0 ? timeoutMs : type === 'script' ? DEFAULT_SCRIPT_TIMEOUT_MS : DEFAULT_TIMEOUT_MS,
    ...definedOnly({ ...c, h2pingUseTls }),
    ...(type === 'ttl' ? { ttlMs } : {}),
    successBeforePassing,
    failuresBeforeWarning: failuresBeforeWarningRaw || failuresBeforeCritical,
    failuresBeforeCritical,
    outputMaxSize: rawOutputMax > 0 && rawOutputMax < agentMax ? rawOutputMax : agentMax,
    initialStatus,
    ...(deregisterMs > 0 ? { deregisterCriticalServiceAfterMs: deregisterMs } : {}),
    ...definedOnly({ token: f.str('token') }),
    definition: {},
  };
  def.definition = consulDefinition(def, { intervalMs, timeoutMs, outputMaxSize: rawOutputMax });
  return def;
}

const FIELD_NAMES = { args: 'Args', http: 'HTTP', tcp: 'TCP', udp: 'UDP', grpc: 'GRPC', h2ping: 'H2PING' } as const;
const TYPE_OF = { args: 'script', http: 'http', tcp: 'tcp', udp: 'udp', grpc: 'grpc', h2ping: 'h2ping' } as const;

function parseStatus(status: string | undefined): CheckStatus {
  if (status === undefined) return 'critical';
  if (!(CHECK_STATUSES as readonly string[]).includes(status)) {
    throw new WeftError('BAD_REQUEST', "Status for checks must 'passing', 'warning', 'critical'");
  }
  return status as CheckStatus;
}

function identity(f: RawFields, ctx: ParseContext): { id: string; name: string; serviceId?: string } {
  const givenId = f.str('id', 'checkid');
  const givenName = f.str('name');
  if (ctx.serviceId !== undefined) {
    const id = givenId ?? `service:${ctx.serviceId}${ctx.index !== undefined ? `:${ctx.index + 1}` : ''}`;
    return { id, name: givenName ?? `Service '${ctx.serviceName ?? ctx.serviceId}' check`, serviceId: ctx.serviceId };
  }
  if (givenName === undefined) throw new WeftError('BAD_REQUEST', 'Missing check name');
  const serviceId = f.str('serviceid');
  return { id: givenId ?? givenName, name: givenName, ...(serviceId !== undefined ? { serviceId } : {}) };
}

function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
