import { WeftError } from '../../lib/errors.js';
import { META_KEY_MAX, META_MAX_PAIRS, META_VALUE_MAX, decodeObject, permissionSchema, type IntentionAction, type IntentionPermission, type IntentionValue } from '../../state/index.js';
import { FieldReader } from '../decode/fields.js';
import type { ApiRequest } from '../request.js';

const bad = (m: string): WeftError => new WeftError('BAD_REQUEST', m);

/**
 * A service as an intention API names it: `name`, `namespace/name` or
 * `partition/namespace/name`. Weft has only the default namespace and partition (and `*`).
 */
export function parseTarget(input: string, what: string): string {
  const parts = input.split('/');
  const fail = (why: string) => bad(`${what} ${JSON.stringify(input)} is invalid: ${why}`);
  if (input.startsWith('peer:')) throw fail('cannot specify a peer here');
  if (parts.length > 3) throw fail("input can contain at most two '/'");
  const name = parts[parts.length - 1];
  const ns = parts.length >= 2 ? parts[parts.length - 2] : 'default';
  const ap = parts.length === 3 ? parts[0] : 'default';
  if (ap !== 'default' && ap !== '') throw fail('only the default partition exists');
  if (ns !== 'default' && ns !== '' && !(ns === '*' && name === '*')) throw fail('only the default namespace exists');
  return name;
}

/** A required query parameter (`source`, `destination`), given once. */
export function requiredParam(req: ApiRequest, name: string): string {
  const values = req.all(name);
  if (values.length !== 1 || values[0] === '') throw bad(`required query parameter '${name}' not set`);
  return values[0];
}

function permissions(body: FieldReader): IntentionPermission[] | undefined {
  const raw = body.raw('Permissions');
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw bad('Request decode failed: Permissions must be a list');
  return raw.map((p, i) => decodeObject(p, permissionSchema, `Permissions[${i}]`) as unknown as IntentionPermission);
}

/** The body of PUT /v1/connect/intentions/exact: {SourceType, Action, Description, Meta, Permissions}. */
export function decodeIntentionValue(raw: unknown): { value: IntentionValue; meta?: Record<string, string> } {
  const body = FieldReader.of(raw, 'Intention');
  const value: IntentionValue = { SourceType: body.string('SourceType') };
  const action = body.string('Action');
  if (action) value.Action = action as IntentionAction;
  const description = body.string('Description');
  if (description) value.Description = description;
  const perms = permissions(body);
  if (perms?.length) value.Permissions = perms;
  return { value, meta: body.stringMap('Meta') };
}

export interface LegacyBody {
  id: string;
  source: string;
  destination: string;
  value: IntentionValue;
  meta: Record<string, string>;
}

function checkNamespace(ns: string, field: string): void {
  if (ns !== '' && ns !== 'default' && ns !== '*') throw bad(`Invalid ${field} ${JSON.stringify(ns)}: only the default namespace exists`);
}

/**
 * A whole legacy intention (POST /v1/connect/intentions, PUT /:id), checked with the messages
 * of Consul's Intention.Validate.
 */
export function decodeLegacyIntention(raw: unknown): LegacyBody {
  const body = FieldReader.of(raw, 'Intention');
  const { value, meta } = decodeIntentionValue(raw);
  const out: LegacyBody = { id: body.string('ID'), source: body.string('SourceName'), destination: body.string('DestinationName'), value, meta: meta ?? {} };
  const srcNs = body.string('SourceNS');
  const dstNs = body.string('DestinationNS');
  checkNamespace(srcNs, 'source namespace');
  checkNamespace(dstNs, 'destination namespace');
  if (!out.source) throw bad('SourceName must be set');
  if (!out.destination) throw bad('DestinationName must be set');
  for (const [field, name, ns] of [['SourceName', out.source, srcNs], ['DestinationName', out.destination, dstNs]] as const) {
    if (name !== '*' && name.includes('*')) throw bad(`${field}: wildcard character '*' cannot be used with partial values`);
    if (name !== '*' && ns === '*') throw bad(`${field}: exact value cannot follow wildcard namespace`);
  }
  if ((value.Description ?? '').length > META_VALUE_MAX) throw bad(`Description exceeds maximum length ${META_VALUE_MAX}`);
  if (Object.keys(out.meta).length > META_MAX_PAIRS) throw bad(`Meta exceeds maximum element count ${META_MAX_PAIRS}`);
  for (const [k, v] of Object.entries(out.meta)) {
    if (k.length > META_KEY_MAX) throw bad(`Meta key ${JSON.stringify(k)} exceeds maximum length ${META_KEY_MAX}`);
    if (v.length > META_VALUE_MAX) throw bad(`Meta value for key ${JSON.stringify(k)} exceeds maximum length ${META_VALUE_MAX}`);
  }
  if (value.Action !== 'allow' && value.Action !== 'deny') throw bad("Action must be set to 'allow' or 'deny'");
  if (value.Permissions?.length) throw bad('Permissions cannot be set on a legacy intention; use PUT /v1/connect/intentions/exact or a service-intentions config entry');
  if ((value.SourceType || 'consul') !== 'consul') throw bad("SourceType must be set to 'consul'");
  return out;
}
