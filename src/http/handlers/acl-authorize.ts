import type { ACLAuthorizationRequest, ACLAuthorizationResponse } from '../../api/acl.js';
import type { AclResourceKind } from '../../acl/index.js';
import { WeftError } from '../../lib/errors.js';
import type { ApiContext } from '../context.js';
import { FieldReader } from '../decode/fields.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import { requireAcl } from './acl-common.js';

const MAX_REQUESTS = 64;
const UNNAMED = new Set(['acl', 'keyring', 'operator', 'mesh', 'peering']);
const NAMED = new Set(['agent', 'event', 'intention', 'key', 'node', 'query', 'service', 'session']);
const bad = (message: string): WeftError => new WeftError('BAD_REQUEST', message);

/**
 * `POST /v1/internal/acl/authorize`: the UI's probe of what its token may do, answering
 * each `{Resource, Segment, Access}` with `Allow`, exactly as the real endpoints would decide.
 */
export async function authorize(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const acl = requireAcl(ctx);
  const raw = await req.json();
  if (raw !== undefined && !Array.isArray(raw)) throw bad('Failed to decode request body: json: cannot unmarshal object into Go value of type []structs.ACLAuthorizationRequest');
  const requests = (raw ?? []) as unknown[];
  if (requests.length > MAX_REQUESTS) throw bad(`Refusing to process more than ${MAX_REQUESTS} authorizations at once`);
  const out: ACLAuthorizationResponse[] = [];
  for (const item of requests) {
    let r: ACLAuthorizationRequest;
    try {
      const f = FieldReader.of(item, 'ACLAuthorizationRequest');
      r = { Resource: f.string('Resource'), Segment: f.string('Segment'), Access: f.string('Access') };
    } catch (err) {
      throw bad(`Failed to decode request body: ${(err as Error).message.replace(/^Request decode failed: /, '')}`);
    }
    out.push({ Resource: r.Resource, ...(r.Segment ? { Segment: r.Segment } : {}), Access: r.Access, Allow: decide(acl, req.token, r) });
  }
  return { body: out };
}

function decide(acl: ReturnType<typeof requireAcl>, token: string, r: ACLAuthorizationRequest): boolean {
  const access = r.Access.toLowerCase();
  const resource = r.Resource;
  if (!UNNAMED.has(resource) && !NAMED.has(resource)) throw bad(`Invalid ACL resource requested: "${resource}"`);
  const invalid = () => bad(`Invalid access level for ${resource} resource: ${r.Access}`);
  if (resource === 'key' && access === 'write-prefix') {
    try {
      acl.checkKeyWritePrefix(token, r.Segment ?? '');
      return true;
    } catch (err) {
      if ((err as WeftError).code === 'PERMISSION_DENIED') return false;
      throw err;
    }
  }
  if (access !== 'read' && access !== 'write' && !(access === 'list' && resource === 'key')) throw invalid();
  return acl.decide(token, resource as AclResourceKind, UNNAMED.has(resource) ? '' : (r.Segment ?? ''), access);
}
