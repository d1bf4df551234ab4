import type { ServiceProxy, Upstream } from '../../state/index.js';
import type { FieldReader } from './fields.js';

/** Consul's proxy and upstream blocks accept snake_case beside PascalCase (their UnmarshalJSON). */
const snake = (name: string): readonly string[] => [name, name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()];

function anyObject(r: FieldReader, name: string): Record<string, unknown> | undefined {
  const o = r.object(snake(name));
  return o && Object.keys(o.value).length ? { ...o.value } : undefined;
}

function meshGateway(r: FieldReader): { Mode?: string } {
  const m = r.object(snake('MeshGateway'));
  const mode = m?.string('Mode');
  return mode ? { Mode: mode } : {};
}

export function decodeUpstream(r: FieldReader): Upstream {
  const u: Upstream = { DestinationName: r.string(snake('DestinationName')) };
  const strings = ['DestinationType', 'DestinationNamespace', 'DestinationPartition', 'DestinationPeer', 'Datacenter', 'LocalBindAddress', 'LocalBindSocketPath', 'LocalBindSocketMode'] as const;
  for (const f of strings) {
    const v = r.string(snake(f));
    if (v) u[f] = v;
  }
  const port = r.int(snake('LocalBindPort'), { min: 0, max: 65535 });
  if (port) u.LocalBindPort = port;
  const config = anyObject(r, 'Config');
  if (config) u.Config = config;
  const mg = meshGateway(r);
  if (mg.Mode) u.MeshGateway = mg;
  if (r.bool('CentrallyConfigured')) u.CentrallyConfigured = true;
  return u;
}

/** A NodeService's `Proxy` block; absent fields stay absent, MeshGateway and Expose always exist. */
export function decodeProxy(r: FieldReader | undefined): ServiceProxy {
  if (!r) return { MeshGateway: {}, Expose: {} };
  const p: ServiceProxy = { MeshGateway: meshGateway(r), Expose: {} };
  for (const f of ['DestinationServiceName', 'DestinationServiceID', 'LocalServiceAddress', 'LocalServiceSocketPath', 'Mode'] as const) {
    const v = r.string(snake(f));
    if (v) p[f] = v;
  }
  const port = r.int(snake('LocalServicePort'), { min: 0, max: 65535 });
  if (port) p.LocalServicePort = port;
  const config = anyObject(r, 'Config');
  if (config) p.Config = config;
  const upstreams = r.objectList(snake('Upstreams'));
  if (upstreams?.length) p.Upstreams = upstreams.map(decodeUpstream);
  const tproxy = anyObject(r, 'TransparentProxy');
  if (tproxy) p.TransparentProxy = tproxy;
  const logs = anyObject(r, 'AccessLogs');
  if (logs) p.AccessLogs = logs;
  const expose = r.object('Expose');
  if (expose) {
    if (expose.bool('Checks')) p.Expose.Checks = true;
    const paths = expose.objectList('Paths');
    if (paths?.length) p.Expose.Paths = paths.map((x) => ({ ...x.value }));
  }
  return p;
}
