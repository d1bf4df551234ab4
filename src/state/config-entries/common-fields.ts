/**
 * Field groups several kinds share (mesh gateway, transparent proxy, expose, header
 * modifiers) and the checks that go with them. Messages follow Consul's wording.
 */
import { WeftError } from '../../lib/errors.js';
import { objectOf } from './schema.js';

export const bad = (message: string): WeftError => new WeftError('BAD_REQUEST', message);

export const meshGatewaySchema = objectOf({ Mode: 'string' });
export const transparentProxySchema = objectOf({ OutboundListenerPort: 'int', DialedDirectly: 'bool' });
export const exposeSchema = objectOf({
  Checks: 'bool',
  Paths: { list: objectOf({ ListenerPort: 'int', Path: 'string', LocalPathPort: 'int', Protocol: 'string' }) },
});
export const headerModifiersSchema = objectOf({ Add: 'stringMap', Set: 'stringMap', Remove: 'stringList' });

const MESH_GATEWAY_MODES = new Set(['', 'none', 'local', 'remote']);
const PROXY_MODES = new Set(['', 'direct', 'transparent']);

export function checkMeshGatewayMode(mode: unknown, where = 'MeshGateway'): void {
  if (mode === undefined) return;
  if (typeof mode !== 'string' || !MESH_GATEWAY_MODES.has(mode)) {
    throw bad(`${where}: Invalid Mesh Gateway Mode: ${JSON.stringify(mode)}, must be one of "", "none", "local" or "remote"`);
  }
}

export function checkProxyMode(mode: unknown): void {
  if (mode === undefined) return;
  if (typeof mode !== 'string' || !PROXY_MODES.has(mode)) throw bad(`Invalid Proxy Mode: ${JSON.stringify(mode)}, must be one of "", "direct" or "transparent"`);
}

export function checkExpose(expose: { Paths?: { ListenerPort?: number; LocalPathPort?: number; Path?: string; Protocol?: string }[] } | undefined): void {
  (expose?.Paths ?? []).forEach((p, i) => {
    if (p.Path !== undefined && p.Path !== '' && !p.Path.startsWith('/')) throw bad(`Expose.Paths[${i}].Path must begin with a '/'`);
    for (const f of ['ListenerPort', 'LocalPathPort'] as const) {
      const port = p[f];
      if (port !== undefined && (port < 0 || port > 65535)) throw bad(`Expose.Paths[${i}].${f} ${port} is not a valid port`);
    }
    if (p.Protocol !== undefined && p.Protocol !== '' && p.Protocol !== 'http' && p.Protocol !== 'http2') {
      throw bad(`Expose.Paths[${i}].Protocol must be "http" or "http2", got ${JSON.stringify(p.Protocol)}`);
    }
  });
}

/** Namespaces, partitions, peers and sameness groups: Weft has one namespace, one partition and no peering. */
export function checkDefaultTenancy(where: string, fields: { Namespace?: string; Partition?: string; Peer?: string; SamenessGroup?: string }): void {
  for (const f of ['Namespace', 'Partition'] as const) {
    const v = fields[f];
    if (v !== undefined && v !== '' && v !== 'default') throw bad(`${where}.${f} ${JSON.stringify(v)} is not supported: Weft has only the default ${f.toLowerCase()}`);
  }
  if (fields.Peer) throw bad(`${where}.Peer ${JSON.stringify(fields.Peer)} is not supported: Weft has no cluster peering`);
  if (fields.SamenessGroup) throw bad(`${where}.SamenessGroup ${JSON.stringify(fields.SamenessGroup)} is not supported: Weft has no sameness groups`);
}

/** Patterns are checked with JavaScript's engine, which the data plane matches with. */
export function checkRegex(re: string | undefined, where: string): void {
  if (!re) return;
  try {
    new RegExp(re);
  } catch (err) {
    throw bad(`${where} is not a valid regular expression: ${(err as Error).message}`);
  }
}

export function checkNonNegative(value: number | undefined, where: string): void {
  if (value !== undefined && value < 0) throw bad(`${where} cannot be negative`);
}

/** Empty structs Consul always serialises (Go's omitempty does not drop a struct). */
export function withStructDefaults<T extends Record<string, unknown>>(entry: T): T & { TransparentProxy: object; MeshGateway: object; Expose: object } {
  return { ...entry, TransparentProxy: entry.TransparentProxy ?? {}, MeshGateway: entry.MeshGateway ?? {}, Expose: entry.Expose ?? {} };
}
