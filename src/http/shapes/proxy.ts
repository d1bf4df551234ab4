import type { ServiceProxy, Upstream } from '../../state/index.js';

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || v === 0 || v === false || (typeof v === 'object' && Object.keys(v as object).length === 0);

/** Copies the named fields that are set, in order: Go's omitempty. */
function pick(src: Readonly<Record<string, unknown>>, fields: readonly string[], out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const f of fields) if (!isEmpty(src[f])) out[f] = src[f];
  return out;
}

const LOCAL_FIELDS = ['DestinationServiceName', 'DestinationServiceID', 'LocalServiceAddress', 'LocalServicePort', 'LocalServiceSocketPath'];
const BIND_FIELDS = ['LocalBindAddress', 'LocalBindPort', 'LocalBindSocketPath', 'LocalBindSocketMode', 'Config'];

function meshGateway(m: { Mode?: string } | undefined): Record<string, unknown> {
  return m?.Mode ? { Mode: m.Mode } : {};
}

function expose(e: ServiceProxy['Expose'] | undefined): Record<string, unknown> {
  return pick((e ?? {}) as Record<string, unknown>, ['Checks', 'Paths']);
}

/** `structs.Upstream`: DestinationType, DestinationName and Datacenter are always present. */
function catalogUpstream(u: Upstream): Record<string, unknown> {
  const out: Record<string, unknown> = { DestinationType: u.DestinationType ?? '' };
  pick(u as unknown as Record<string, unknown>, ['DestinationNamespace', 'DestinationPartition', 'DestinationPeer'], out);
  out.DestinationName = u.DestinationName;
  out.Datacenter = u.Datacenter ?? '';
  pick(u as unknown as Record<string, unknown>, BIND_FIELDS, out);
  out.MeshGateway = meshGateway(u.MeshGateway);
  if (u.CentrallyConfigured) out.CentrallyConfigured = true;
  return out;
}

/**
 * The proxy block of catalog and health answers (`structs.ConnectProxyConfig.MarshalJSON`):
 * Mode, MeshGateway and Expose are always present, TransparentProxy and AccessLogs only
 * when set, everything else omitempty. A typical service gets `{Mode:"",MeshGateway:{},Expose:{}}`.
 */
export function catalogProxyJson(p: ServiceProxy): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isEmpty(p.TransparentProxy)) out.TransparentProxy = p.TransparentProxy;
  if (!isEmpty(p.AccessLogs)) out.AccessLogs = p.AccessLogs;
  pick(p as unknown as Record<string, unknown>, LOCAL_FIELDS, out);
  out.Mode = p.Mode ?? '';
  if (!isEmpty(p.Config)) out.Config = p.Config;
  if (p.Upstreams?.length) out.Upstreams = p.Upstreams.map(catalogUpstream);
  out.MeshGateway = meshGateway(p.MeshGateway);
  out.Expose = expose(p.Expose);
  return out;
}

/** `api.Upstream` as the agent endpoints render it: everything but DestinationName is omitempty. */
function agentUpstream(u: Upstream): Record<string, unknown> {
  const out = pick(u as unknown as Record<string, unknown>, ['DestinationType', 'DestinationPartition', 'DestinationNamespace', 'DestinationPeer']);
  out.DestinationName = u.DestinationName;
  pick(u as unknown as Record<string, unknown>, ['Datacenter', ...BIND_FIELDS], out);
  out.MeshGateway = meshGateway(u.MeshGateway);
  if (u.CentrallyConfigured) out.CentrallyConfigured = true;
  return out;
}

/** `api.AgentServiceConnectProxyConfig`: like the catalog form but Mode is omitempty too. */
export function agentProxyJson(p: ServiceProxy): Record<string, unknown> {
  const out = pick(p as unknown as Record<string, unknown>, [...LOCAL_FIELDS, 'Mode', 'TransparentProxy', 'Config']);
  if (p.Upstreams?.length) out.Upstreams = p.Upstreams.map(agentUpstream);
  out.MeshGateway = meshGateway(p.MeshGateway);
  out.Expose = expose(p.Expose);
  if (!isEmpty(p.AccessLogs)) out.AccessLogs = p.AccessLogs;
  return out;
}

/** `structs.ServiceConnect`: Native and SidecarService are omitempty, so usually `{}`. */
export function connectJson(c: { Native?: boolean; SidecarService?: unknown } | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (c?.Native) out.Native = true;
  if (c?.SidecarService) out.SidecarService = c.SidecarService;
  return out;
}
