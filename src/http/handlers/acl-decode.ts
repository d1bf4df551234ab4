import { isValidIdentityName } from '../../acl/index.js';
import { WeftError } from '../../lib/errors.js';
import type { LinkInput, NodeIdentity, ServiceIdentity } from '../../state/index.js';
import { FieldReader } from '../decode/fields.js';

/**
 * Shared pieces of the token, policy and role bodies, read as Go's encoding/json fills
 * Consul's structs (case-insensitive keys, unknown keys ignored), with Consul's messages.
 */
const bad = (message: string): WeftError => new WeftError('BAD_REQUEST', message);

export function decodeLinks(body: FieldReader, field: string): LinkInput[] {
  return (body.objectList(field) ?? []).map((l) => {
    const link: LinkInput = {};
    const id = l.string('ID');
    const name = l.string('Name');
    if (id) link.ID = id;
    if (name) link.Name = name;
    return link;
  });
}

/** Service identities, checked and deduplicated (a repeated name merges its datacenters). */
export function decodeServiceIdentities(body: FieldReader, owner: 'token' | 'role', local = false): ServiceIdentity[] {
  const byName = new Map<string, ServiceIdentity>();
  for (const s of body.objectList('ServiceIdentities') ?? []) {
    const name = s.string('ServiceName');
    const dcs = s.stringList('Datacenters') ?? [];
    if (!name) throw bad(`Service identity is missing the service name field on this ${owner}`);
    if (local && dcs.length > 0) throw bad(`Service identity "${name}" cannot specify a list of datacenters on a local token`);
    if (!isValidIdentityName(name)) throw bad(`Service identity "${name}" has an invalid name. Only lowercase alphanumeric characters, '-' and '_' are allowed`);
    const had = byName.get(name);
    const merged = [...new Set([...(had?.Datacenters ?? []), ...dcs])].sort();
    byName.set(name, merged.length ? { ServiceName: name, Datacenters: merged } : { ServiceName: name });
  }
  return [...byName.values()];
}

export function decodeNodeIdentities(body: FieldReader, owner: 'token' | 'role'): NodeIdentity[] {
  const out: NodeIdentity[] = [];
  for (const n of body.objectList('NodeIdentities') ?? []) {
    const name = n.string('NodeName');
    const dc = n.string('Datacenter');
    if (!name) throw bad(`Node identity is missing the node name field on this ${owner}`);
    if (!dc) throw bad(`Node identity is missing the datacenter field on this ${owner}`);
    if (!isValidIdentityName(name)) throw bad(`Node identity has an invalid name. Only lowercase alphanumeric characters, '-' and '_' are allowed`);
    if (!out.some((o) => o.NodeName === name && o.Datacenter === dc)) out.push({ NodeName: name, Datacenter: dc });
  }
  return out;
}

/** The body as an object; Consul's decode error names what it was decoding. */
export function bodyReader(raw: unknown, what: 'Token' | 'Policy' | 'Role'): FieldReader {
  try {
    return FieldReader.of(raw, `ACL${what}`);
  } catch (err) {
    throw bad(`${what} decoding failed: ${(err as Error).message.replace(/^Request decode failed: /, '')}`);
  }
}

/** Runs a decode step, rewording its errors to Consul's "Token decoding failed: …". */
export function decoding<T>(what: 'Token' | 'Policy' | 'Role', fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const message = (err as Error).message;
    if (message.startsWith('Request decode failed: ')) throw bad(`${what} decoding failed: ${message.slice('Request decode failed: '.length)}`);
    throw err;
  }
}
