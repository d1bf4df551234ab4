import { WeftError } from '../../lib/errors.js';
import { SIDECAR_SUFFIX, sidecarIdFor, type ServiceDefinition } from '../../services/index.js';
import type { ServiceInput } from '../../state/index.js';
import type { ApiContext } from '../context.js';
import type { LocalAgentApi } from './agent-local.js';

/**
 * Consul's agent-side ACL vetting (agent/acl.go) for registrations made through the agent
 * endpoints: what a token must hold to add or change a local service or check.
 */

/** Proxy.Config keys spliced verbatim into Envoy's bootstrap: Consul asks for mesh:write to set them. */
const ESCAPE_HATCH_KEYS = new Set([
  'envoy_bootstrap_json_tpl',
  'envoy_extra_static_listeners_json',
  'envoy_public_listener_json',
  'envoy_listener_json',
  'envoy_cluster_json',
  'envoy_local_cluster_json',
  'envoy_extra_static_clusters_json',
  'envoy_extra_stats_sinks_json',
  'envoy_tracing_json',
  'envoy_stats_config_json',
  'envoy_listener_tracing_json',
]);

/** vetServiceRegister: write on the service, on any service it replaces, on a proxy's destination. */
function vetService(ctx: ApiContext, local: LocalAgentApi, token: string, service: ServiceInput): void {
  ctx.authz.check(token, { kind: 'service', name: service.Service }, 'write');
  const existing = local.service(service.ID);
  if (existing && existing.Service !== service.Service) ctx.authz.check(token, { kind: 'service', name: existing.Service }, 'write');
  if (service.Kind === 'connect-proxy' && service.Proxy?.DestinationServiceName) {
    ctx.authz.check(token, { kind: 'service', name: service.Proxy.DestinationServiceName }, 'write');
  }
  if (Object.keys(service.Proxy?.Config ?? {}).some((k) => ESCAPE_HATCH_KEYS.has(k))) ctx.authz.check(token, { kind: 'mesh' }, 'write');
}

/**
 * A registration and its sidecar, as Consul's AgentRegisterService vets them: the sidecar is
 * checked with its own `token` when it gives one, else with the request's.
 */
export function vetServiceRegistration(ctx: ApiContext, local: LocalAgentApi, token: string, def: ServiceDefinition): void {
  vetService(ctx, local, token, def.service);
  const sc = def.sidecar;
  if (!sc) return;
  const parent = def.service;
  const sidecar: ServiceInput = {
    ...sc.service,
    ID: sidecarIdFor(parent.ID),
    Kind: sc.service.Kind || 'connect-proxy',
    Service: sc.service.Service || parent.Service + SIDECAR_SUFFIX,
    Proxy: { ...sc.service.Proxy, DestinationServiceName: sc.service.Proxy?.DestinationServiceName || parent.Service },
  };
  vetService(ctx, local, sc.token || token, sidecar);
}

/** vetCheckRegister: a service's check needs write on the service, a node check write on this node; so does a check it replaces. */
export function vetCheckRegistration(ctx: ApiContext, local: LocalAgentApi, token: string, check: { id: string; serviceId: string }): void {
  const node = ctx.agent.config.nodeName;
  if (check.serviceId) {
    const service = local.service(check.serviceId);
    if (!service) throw new WeftError('NOT_FOUND', `ServiceID "${check.serviceId}" does not exist`);
    ctx.authz.check(token, { kind: 'service', name: service.Service }, 'write');
  } else {
    ctx.authz.check(token, { kind: 'node', name: node }, 'write');
  }
  const existing = local.checks().find((c) => c.CheckID === check.id);
  if (existing) vetExisting(ctx, token, existing.ServiceName);
}

/** vetCheckUpdate: changing or removing a check needs write on what it belongs to; an unknown check is a 404. */
export function vetCheckUpdate(ctx: ApiContext, local: LocalAgentApi, token: string, checkId: string): void {
  const existing = local.checks().find((c) => c.CheckID === checkId);
  if (!existing) throw new WeftError('NOT_FOUND', `Unknown check ID "${checkId}". Ensure that the check ID is passed, not the check name.`);
  vetExisting(ctx, token, existing.ServiceName);
}

function vetExisting(ctx: ApiContext, token: string, serviceName: string): void {
  if (serviceName) ctx.authz.check(token, { kind: 'service', name: serviceName }, 'write');
  else ctx.authz.check(token, { kind: 'node', name: ctx.agent.config.nodeName }, 'write');
}
