import type { NodeRow, ServiceInput, ServiceRow } from '../../state/index.js';
import { cachedPairShape, cachedShape } from './cache.js';
import { agentProxyJson, catalogProxyJson, connectJson } from './proxy.js';

const hasKeys = (o: object | undefined): boolean => !!o && Object.keys(o).length > 0;

/**
 * Consul's NodeService JSON (`structs.NodeService`), the `Service` of health answers and the
 * values of `/v1/catalog/node/:n`'s Services map. Kind, TaggedAddresses, Port, SocketPath and
 * Locality are omitempty; PeerName is always present; Tags is `[]` when empty (the handlers
 * replace nil).
 */
export function nodeServiceJson(s: ServiceRow): Record<string, unknown> {
  return cachedShape(s, () => {
    const out: Record<string, unknown> = {};
    if (s.Kind) out.Kind = s.Kind;
    out.ID = s.ID;
    out.Service = s.Service;
    out.Tags = s.Tags ?? [];
    out.Address = s.Address;
    if (hasKeys(s.TaggedAddresses)) out.TaggedAddresses = s.TaggedAddresses;
    out.Meta = s.Meta;
    if (s.Port) out.Port = s.Port;
    if (s.SocketPath) out.SocketPath = s.SocketPath;
    out.Weights = s.Weights;
    out.EnableTagOverride = s.EnableTagOverride;
    if (s.Locality) out.Locality = s.Locality;
    out.Proxy = catalogProxyJson(s.Proxy);
    out.Connect = connectJson(s.Connect);
    out.PeerName = '';
    out.CreateIndex = s.CreateIndex;
    out.ModifyIndex = s.ModifyIndex;
    return out;
  });
}

/**
 * Consul's catalog ServiceNode JSON (`structs.ServiceNode`), one element of
 * `/v1/catalog/service/:s`: the node's fields, then the service's prefixed with `Service`.
 * ServiceTaggedAddresses is omitempty; ServiceLocality is `null` when unset, as Consul renders it.
 */
export function serviceNodeJson(s: ServiceRow, n: NodeRow): Record<string, unknown> {
  return cachedPairShape(s, n, () => {
    const out: Record<string, unknown> = {
      ID: n.ID,
      Node: n.Node,
      Address: n.Address,
      Datacenter: n.Datacenter,
      TaggedAddresses: n.TaggedAddresses,
      NodeMeta: n.Meta,
      ServiceKind: s.Kind,
      ServiceID: s.ID,
      ServiceName: s.Service,
      ServiceTags: s.Tags ?? [],
      ServiceAddress: s.Address,
    };
    if (hasKeys(s.TaggedAddresses)) out.ServiceTaggedAddresses = s.TaggedAddresses;
    out.ServiceWeights = s.Weights;
    out.ServiceMeta = s.Meta;
    out.ServicePort = s.Port;
    out.ServiceSocketPath = s.SocketPath;
    out.ServiceEnableTagOverride = s.EnableTagOverride;
    out.ServiceProxy = catalogProxyJson(s.Proxy);
    out.ServiceConnect = connectJson(s.Connect);
    out.ServiceLocality = s.Locality ?? null;
    out.CreateIndex = s.CreateIndex;
    out.ModifyIndex = s.ModifyIndex;
    return out;
  });
}

export interface AgentServiceOptions {
  /** The agent's datacenter; Consul sets it on every agent-endpoint service. */
  datacenter: string;
  /** `/v1/agent/service/:id` adds the content hash used for hash-based blocking. */
  contentHash?: string;
}

/**
 * Consul's AgentService JSON (`api.AgentService` as `buildAgentService` fills it) for the
 * `/v1/agent/*` endpoints: Tags `[]` and Meta `{}` when empty, Port always present,
 * CreateIndex/ModifyIndex omitted when zero, Proxy only for proxies and gateways, Connect
 * only for Connect-native services.
 */
export function agentServiceJson(s: ServiceInput & Partial<Pick<ServiceRow, 'Node' | 'CreateIndex' | 'ModifyIndex'>>, opts: AgentServiceOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.Kind) out.Kind = s.Kind;
  out.ID = s.ID;
  out.Service = s.Service;
  out.Tags = s.Tags ?? [];
  out.Meta = s.Meta ?? {};
  out.Port = s.Port;
  out.Address = s.Address;
  if (s.SocketPath) out.SocketPath = s.SocketPath;
  if (hasKeys(s.TaggedAddresses)) out.TaggedAddresses = s.TaggedAddresses;
  out.Weights = { Passing: s.Weights?.Passing > 0 ? s.Weights.Passing : 1, Warning: s.Weights?.Warning ?? 1 };
  out.EnableTagOverride = s.EnableTagOverride;
  if (s.CreateIndex) out.CreateIndex = s.CreateIndex;
  if (s.ModifyIndex) out.ModifyIndex = s.ModifyIndex;
  if (opts.contentHash) out.ContentHash = opts.contentHash;
  if (s.Kind) out.Proxy = agentProxyJson(s.Proxy);
  if (s.Connect?.Native) out.Connect = { Native: true };
  out.Datacenter = opts.datacenter;
  if (s.Locality) out.Locality = s.Locality;
  return out;
}
