import { WeftError } from '../lib/errors.js';
import type { ServiceProxy, Upstream } from '../state/index.js';
import type { Fields } from './fields.js';

const MODES = new Set(['', 'direct', 'transparent']);
const MESH_GATEWAY_MODES = new Set(['', 'none', 'local', 'remote']);

function meshGateway(f: Fields | undefined): { Mode?: string } {
  const mode = f?.string('Mode');
  if (mode === undefined || mode === '') return {};
  if (!MESH_GATEWAY_MODES.has(mode)) throw bad(`${f!.path}.Mode: must be one of none, local, remote; got ${JSON.stringify(mode)}`);
  return { Mode: mode };
}

function expose(f: Fields | undefined): ServiceProxy['Expose'] {
  if (!f) return {};
  const out: ServiceProxy['Expose'] = {};
  const checks = f.bool('Checks');
  if (checks) out.Checks = true;
  const paths = f.objectList('Paths');
  if (paths?.length) {
    out.Paths = paths.map((p) => {
      const path: Record<string, unknown> = {};
      const set = (k: string, v: unknown) => v !== undefined && v !== '' && v !== 0 && (path[k] = v);
      set('ListenerPort', p.int('ListenerPort'));
      set('Path', p.string('Path'));
      set('LocalPathPort', p.int('LocalPathPort'));
      set('Protocol', p.string('Protocol'));
      return path;
    });
  }
  return out;
}

function upstream(f: Fields): Upstream {
  const name = f.string('DestinationName') ?? '';
  if (name.trim() === '') throw bad(`${f.path}: Upstream destination name cannot be empty`);
  const type = f.string('DestinationType') || 'service';
  if (type !== 'service' && type !== 'prepared_query') {
    throw bad(`${f.path}.DestinationType: must be "service" or "prepared_query", got ${JSON.stringify(type)}`);
  }
  const u: Upstream = { DestinationType: type, DestinationName: name };
  const set = <K extends keyof Upstream>(k: K, v: Upstream[K] | undefined | '' | 0) => {
    if (v !== undefined && v !== '' && v !== 0) u[k] = v as Upstream[K];
  };
  set('DestinationNamespace', f.string('DestinationNamespace'));
  set('DestinationPartition', f.string('DestinationPartition'));
  set('DestinationPeer', f.string('DestinationPeer'));
  set('Datacenter', f.string('Datacenter'));
  set('LocalBindAddress', f.string('LocalBindAddress'));
  const port = f.int('LocalBindPort');
  if (port !== undefined && (port < 0 || port > 65535)) throw bad(`${f.path}.LocalBindPort: must be between 1 and 65535, got ${port}`);
  set('LocalBindPort', port);
  set('LocalBindSocketPath', f.string('LocalBindSocketPath'));
  set('LocalBindSocketMode', f.string('LocalBindSocketMode'));
  if (!u.LocalBindPort && !u.LocalBindSocketPath) {
    throw bad(`${f.path}: Upstream local bind port or local socket path must be defined and nonzero`);
  }
  const config = f.opaque('Config');
  if (config && Object.keys(config).length) u.Config = config;
  const mg = meshGateway(f.object('MeshGateway'));
  if (mg.Mode) u.MeshGateway = mg;
  if (f.bool('CentrallyConfigured')) u.CentrallyConfigured = true;
  return u;
}

/**
 * The `Proxy` block of a connect-proxy (or gateway) registration. Upstreams get Consul's
 * defaults (DestinationType "service") and its validation: a name, a bind port or socket,
 * no two upstreams on one local address.
 */
export function parseProxy(f: Fields | undefined): ServiceProxy {
  if (!f) return { MeshGateway: {}, Expose: {} };
  const p: ServiceProxy = { MeshGateway: {}, Expose: {} };
  const set = <K extends keyof ServiceProxy>(k: K, v: ServiceProxy[K] | undefined | '' | 0) => {
    if (v !== undefined && v !== '' && v !== 0) p[k] = v as ServiceProxy[K];
  };
  set('DestinationServiceName', f.string('DestinationServiceName'));
  set('DestinationServiceID', f.string('DestinationServiceID'));
  set('LocalServiceAddress', f.string('LocalServiceAddress'));
  const port = f.int('LocalServicePort');
  if (port !== undefined && (port < 0 || port > 65535)) throw bad(`${f.path}.LocalServicePort: must be between 0 and 65535, got ${port}`);
  set('LocalServicePort', port);
  set('LocalServiceSocketPath', f.string('LocalServiceSocketPath'));
  const mode = f.string('Mode') ?? '';
  if (!MODES.has(mode)) throw bad(`${f.path}.Mode: must be "direct" or "transparent", got ${JSON.stringify(mode)}`);
  set('Mode', mode);
  const tproxy = f.opaque('TransparentProxy');
  if (tproxy && Object.keys(tproxy).length) p.TransparentProxy = tproxy;
  const config = f.opaque('Config');
  if (config && Object.keys(config).length) p.Config = config;
  const upstreams = f.objectList('Upstreams')?.map(upstream);
  if (upstreams?.length) {
    const binds = new Set<string>();
    for (const u of upstreams) {
      const bind = u.LocalBindSocketPath ?? `${u.LocalBindAddress ?? '127.0.0.1'}:${u.LocalBindPort}`;
      if (binds.has(bind)) throw bad(`upstreams cannot contain duplicates by local bind address and port; "${bind}" is specified twice`);
      binds.add(bind);
    }
    p.Upstreams = upstreams;
  }
  p.MeshGateway = meshGateway(f.object('MeshGateway'));
  p.Expose = expose(f.object('Expose'));
  const logs = f.opaque('AccessLogs');
  if (logs && Object.keys(logs).length) p.AccessLogs = logs;
  return p;
}

function bad(reason: string): WeftError {
  return new WeftError('BAD_REQUEST', `Invalid Proxy: ${reason}`);
}
