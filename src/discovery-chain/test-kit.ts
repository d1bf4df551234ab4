/** Builders shared by the compiler's tests: entries as users write them, and expected targets. */
import { decodeConfigEntry, type ConfigEntryInput, type ConfigView } from '../state/index.js';
import { compileDiscoveryChain } from './compile.js';
import type { CompileRequest, CompiledDiscoveryChain, DiscoveryGraphNode, DiscoveryResolver, DiscoveryTarget } from './types.js';

export const TRUST_DOMAIN = 'trustdomain.consul';

/** A view over entries decoded and validated exactly as a write would. */
export function viewOf(raw: Record<string, unknown>[]): ConfigView {
  const entries: ConfigEntryInput[] = raw.map((r) => decodeConfigEntry(r));
  return {
    get: (kind, name) => entries.find((e) => e.Kind === kind && e.Name === name),
    list: (kind) => entries.filter((e) => e.Kind === kind),
  };
}

export function compile(raw: Record<string, unknown>[], req: Partial<CompileRequest> = {}): CompiledDiscoveryChain {
  return compileDiscoveryChain(viewOf(raw), { serviceName: 'main', datacenter: 'dc1', trustDomain: TRUST_DOMAIN, ...req });
}

export const protocol = (name: string, p: string) => ({ Kind: 'service-defaults', Name: name, Protocol: p });
export const globalProtocol = (p: string) => ({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: p } });

/** The target Consul's compile_test.go newTarget() builds: default connect timeout, SNI as name. */
export function target(service: string, subset = '', dc = 'dc1', mods: Partial<DiscoveryTarget> = {}): DiscoveryTarget {
  const id = `${subset ? `${subset}.` : ''}${service}.default.default.${dc}`;
  const sni = `${subset ? `${subset}.` : ''}${service}.default.${dc}.internal.${TRUST_DOMAIN}`;
  return {
    ID: id,
    Service: service,
    ...(subset ? { ServiceSubset: subset } : {}),
    Namespace: 'default',
    Partition: 'default',
    Datacenter: dc,
    MeshGateway: {},
    Subset: {},
    TransparentProxy: {},
    ConnectTimeout: '5s',
    SNI: sni,
    Name: sni,
    ...mods,
  };
}

export function resolver(id: string, extra: Partial<DiscoveryResolver> = {}): DiscoveryGraphNode {
  return { Type: 'resolver', Name: id, Resolver: { ConnectTimeout: '5s', Target: id, ...extra } };
}

export const defaultRoute = (service: string) => ({
  Match: { HTTP: { PathPrefix: '/' } },
  Destination: { Service: service, Namespace: 'default', Partition: 'default' },
});

export const chainOf = (c: Partial<CompiledDiscoveryChain>): CompiledDiscoveryChain => ({
  ServiceName: 'main',
  Namespace: 'default',
  Partition: 'default',
  Datacenter: 'dc1',
  Protocol: 'tcp',
  StartNode: '',
  Nodes: {},
  Targets: {},
  ...c,
});
