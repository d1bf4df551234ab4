import { WeftError } from '../../lib/errors.js';
import { formatDuration, parseDuration } from '../../lib/duration.js';
import { SERF_CHECK_ID, type SessionInput, type SessionRow } from '../../state/index.js';
import { FieldReader, decodeFailed } from '../decode/fields.js';

/** Consul's bounds (session_ttl_min defaults to 10s; structs.SessionTTLMax is 24h). */
export const SESSION_TTL_MIN_MS = 10_000;
export const SESSION_TTL_MAX_MS = 86_400_000;
/** Consul reads a lock delay under 1000 (ns) as seconds: users send 15 meaning 15s. */
const LOCK_DELAY_SECONDS_THRESHOLD_NS = 1000;
const DEFAULT_LOCK_DELAY_NS = 15e9;

function lockDelayNs(r: FieldReader): number {
  const v = r.raw('LockDelay');
  if (v === undefined) return DEFAULT_LOCK_DELAY_NS;
  let ns: number;
  if (typeof v === 'number') ns = Math.trunc(v);
  else if (typeof v === 'string') {
    try {
      ns = Math.round(parseDuration(v) * 1e6);
    } catch (err) {
      throw decodeFailed((err as Error).message);
    }
  } else throw decodeFailed(`json: cannot unmarshal ${typeof v} into Go struct field ${r.path}.LockDelay of type time.Duration`);
  return ns < LOCK_DELAY_SECONDS_THRESHOLD_NS ? ns * 1e9 : ns;
}

/**
 * PUT /v1/session/create's body with Consul's defaults: the agent's node, the serfHealth
 * check, release behaviour, a 15s lock-delay. Naming a node check list replaces the default
 * serfHealth (the legacy `Checks` too, so `"Checks": []` still means "no checks").
 */
export function decodeSessionCreate(raw: unknown, agentNode: string): Omit<SessionInput, 'ID'> {
  const r = FieldReader.of(raw, 'Session');
  const named = r.has('Checks') || r.has('NodeChecks');
  const nodeChecks = named ? [...new Set([...(r.stringList('Checks') ?? []), ...(r.stringList('NodeChecks') ?? [])])] : [SERF_CHECK_ID];
  const serviceChecks = (r.objectList('ServiceChecks') ?? []).map((c) => ({ ID: c.string('ID'), Namespace: c.string('Namespace') }));
  const behavior = r.string('Behavior');
  if (behavior !== '' && behavior !== 'release' && behavior !== 'delete') {
    throw new WeftError('BAD_REQUEST', `Invalid Behavior setting '${behavior}'`);
  }
  const ttl = r.string('TTL');
  validateTtl(ttl);
  return {
    Name: r.string('Name'),
    Node: r.string('Node') || agentNode,
    LockDelay: lockDelayNs(r),
    Behavior: behavior === 'delete' ? 'delete' : 'release',
    TTL: ttl,
    NodeChecks: nodeChecks,
    ServiceChecks: serviceChecks,
  };
}

function validateTtl(ttl: string): void {
  if (ttl === '') return;
  let ms: number;
  try {
    ms = parseDuration(ttl);
  } catch (err) {
    throw new WeftError('BAD_REQUEST', `Session TTL '${ttl}' invalid: ${(err as Error).message}`);
  }
  if (ms !== 0 && (ms < SESSION_TTL_MIN_MS || ms > SESSION_TTL_MAX_MS)) {
    throw new WeftError(
      'BAD_REQUEST',
      `Invalid Session TTL '${Math.round(ms * 1e6)}', must be between [${formatDuration(SESSION_TTL_MIN_MS)}=${formatDuration(SESSION_TTL_MAX_MS)}]`,
    );
  }
}

/** Consul's session JSON: empty check lists are null, LockDelay in nanoseconds. */
export function sessionJson(s: SessionRow): Record<string, unknown> {
  return {
    ID: s.ID,
    Name: s.Name,
    Node: s.Node,
    LockDelay: s.LockDelay,
    Behavior: s.Behavior,
    TTL: s.TTL,
    NodeChecks: s.NodeChecks.length ? s.NodeChecks : null,
    ServiceChecks: s.ServiceChecks.length ? s.ServiceChecks : null,
    CreateIndex: s.CreateIndex,
    ModifyIndex: s.ModifyIndex,
  };
}
