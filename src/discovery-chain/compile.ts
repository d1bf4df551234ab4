/**
 * The discovery chain compiler: from the config entries of one service (router → splitters →
 * resolvers, with service-defaults and proxy-defaults for protocols and mesh gateways) to one
 * graph of nodes and targets. A pure function of a ConfigView, so the same code compiles the
 * chains a proxy uses and checks proposed writes (graph-check.ts).
 */
import { formatDuration } from '../lib/duration.js';
import {
  SERVICE_DEFAULTS,
  SERVICE_ROUTER,
  SERVICE_SPLITTER,
  isHashBased,
  isHttpLike,
  serviceProtocol,
  type ConfigView,
  type ServiceDefaultsEntry,
  type ServiceRoute,
  type ServiceRouterEntry,
  type ServiceSplitterEntry,
} from '../state/index.js';
import { customizationHash } from './customization-hash.js';
import { graphError } from './graph-error.js';
import { detectCircularReferences, flattenAdjacentSplitters, removeUnusedNodes } from './graph-passes.js';
import { resolverNode, type ChainTarget } from './resolver-node.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_NAMESPACE, DEFAULT_PARTITION, nodeKey, serviceNodeName, targetId, targetSni } from './target.js';
import type { CompileRequest, CompiledDiscoveryChain, DiscoveryGraphNode, DiscoveryTarget } from './types.js';

export class ChainCompiler {
  readonly splitterNodes = new Map<string, DiscoveryGraphNode>();
  readonly resolveNodes = new Map<string, DiscoveryGraphNode>();
  readonly nodes = new Map<string, DiscoveryGraphNode>();
  readonly targets = new Map<string, ChainTarget>();
  readonly retained = new Set<string>();
  readonly customized = { meshGateway: false, protocol: false, connectTimeout: false };
  readonly disableAdvanced: boolean;
  usesAdvanced = false;
  protocol = '';
  start = '';

  constructor(
    readonly view: ConfigView,
    readonly req: CompileRequest,
  ) {
    this.disableAdvanced = !!req.overrideProtocol && !isHttpLike(req.overrideProtocol);
  }

  recordNode(node: DiscoveryGraphNode): void {
    const key = nodeKey(node.Type, node.Name);
    if (node.Type === 'splitter') this.splitterNodes.set(node.Name, node);
    if (node.Type === 'resolver') this.resolveNodes.set(node.Resolver!.Target, node);
    this.nodes.set(key, node);
  }

  /** Every service in a chain must speak the chain's protocol: an L7 route cannot end at a TCP service. */
  recordServiceProtocol(service: string): void {
    const protocol = serviceProtocol(this.view, service);
    if (!this.protocol) this.protocol = protocol;
    else if (this.protocol !== protocol) {
      throw graphError(`discovery chain ${JSON.stringify(this.req.serviceName)} uses inconsistent protocols; service ${JSON.stringify(service)} has ${JSON.stringify(protocol)} which is not ${JSON.stringify(this.protocol)}`);
    }
  }

  newTarget(service: string, subset = '', datacenter = ''): ChainTarget {
    const key = { service, subset, datacenter: datacenter || this.req.datacenter };
    const id = targetId(key);
    const existing = this.targets.get(id);
    if (existing) return existing;
    const sni = targetSni(key, this.req.trustDomain);
    const target: ChainTarget = { ...key, id, connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS, subsetDef: {}, meshGateway: {}, external: false, sni, name: sni };
    this.targets.set(id, target);
    return target;
  }

  /** The target with some of its parts replaced; naming another service starts from its default subset. */
  rewriteTarget(t: ChainTarget, opts: { service?: string; subset?: string; datacenter?: string }): ChainTarget {
    let { service, subset, datacenter } = t;
    if (opts.service && opts.service !== service) {
      service = opts.service;
      subset = '';
    }
    if (opts.subset) subset = opts.subset;
    if (opts.datacenter) datacenter = opts.datacenter;
    return this.newTarget(service, subset, datacenter);
  }

  splitterOrResolver(target: ChainTarget): DiscoveryGraphNode {
    return this.splitterNode(target.service) ?? resolverNode(this, target, false);
  }

  splitterNode(service: string): DiscoveryGraphNode | null {
    const name = serviceNodeName(service);
    const cached = this.splitterNodes.get(name);
    if (cached) return cached;
    const entry = this.view.get(SERVICE_SPLITTER, service) as ServiceSplitterEntry | undefined;
    if (!entry) return null;
    if (this.disableAdvanced) {
      this.customized.protocol = true;
      return null;
    }
    const node: DiscoveryGraphNode = { Type: 'splitter', Name: name, Splits: [] };
    // Recorded before its legs are followed, so a loop back to it ends here (and is reported later).
    this.recordNode(node);
    for (const split of entry.Splits) {
      const leg = { Definition: split, Weight: split.Weight, NextNode: '' };
      node.Splits!.push(leg);
      const legService = split.Service || service;
      if (legService !== service && !split.ServiceSubset) {
        const nested = this.splitterNode(legService);
        if (nested) {
          leg.NextNode = nodeKey(nested.Type, nested.Name);
          continue;
        }
      }
      const next = resolverNode(this, this.newTarget(legService, split.ServiceSubset ?? ''), false);
      leg.NextNode = nodeKey(next.Type, next.Name);
      // One route can carry one hash policy: the first hash-based leg's wins.
      if (!node.LoadBalancer && isHashBased(next.LoadBalancer)) node.LoadBalancer = next.LoadBalancer;
    }
    this.usesAdvanced = true;
    return node;
  }

  private routerNode(router: ServiceRouterEntry): DiscoveryGraphNode {
    const node: DiscoveryGraphNode = { Type: 'router', Name: serviceNodeName(router.Name), Routes: [] };
    this.usesAdvanced = true;
    this.recordServiceProtocol(router.Name);
    for (const route of router.Routes ?? []) {
      const dest = route.Destination;
      const service = dest?.Service || this.req.serviceName;
      const next = dest?.ServiceSubset ? resolverNode(this, this.newTarget(service, dest.ServiceSubset), false) : this.splitterOrResolver(this.newTarget(service));
      node.Routes!.push({ Definition: route, NextNode: nodeKey(next.Type, next.Name) });
    }
    // Requests no route matches go on to the service's own splitter or resolver.
    const catchAll: ServiceRoute = {
      Match: { HTTP: { PathPrefix: '/' } },
      Destination: { Service: router.Name, Namespace: DEFAULT_NAMESPACE, Partition: DEFAULT_PARTITION },
    };
    const next = this.splitterOrResolver(this.newTarget(router.Name));
    node.Routes!.push({ Definition: catchAll, NextNode: nodeKey(next.Type, next.Name) });
    this.recordNode(node);
    return node;
  }

  private assemble(): void {
    let router = this.view.get(SERVICE_ROUTER, this.req.serviceName) as ServiceRouterEntry | undefined;
    if (router && this.disableAdvanced) {
      router = undefined;
      this.customized.protocol = true;
    }
    const first = router ? this.routerNode(router) : this.splitterOrResolver(this.newTarget(this.req.serviceName));
    this.start = nodeKey(first.Type, first.Name);
  }

  compile(): CompiledDiscoveryChain {
    this.assemble();
    detectCircularReferences(this.nodes, this.start);
    flattenAdjacentSplitters(this.nodes);
    removeUnusedNodes(this.nodes, this.start);
    if (!isHttpLike(this.protocol) && this.usesAdvanced) {
      throw graphError(`discovery chain ${JSON.stringify(this.req.serviceName)} uses a protocol ${JSON.stringify(this.protocol)} that does not permit advanced routing or splitting behavior`);
    }
    if (this.req.overrideProtocol && this.req.overrideProtocol !== this.protocol) {
      this.protocol = this.req.overrideProtocol;
      this.customized.protocol = true;
    }
    const hash = customizationHash(this.customized, this.req);
    const meta = (this.view.get(SERVICE_DEFAULTS, this.req.serviceName) as ServiceDefaultsEntry | undefined)?.Meta;
    return {
      ServiceName: this.req.serviceName,
      Namespace: DEFAULT_NAMESPACE,
      Partition: DEFAULT_PARTITION,
      Datacenter: this.req.datacenter,
      ...(hash ? { CustomizationHash: hash } : {}),
      ...(this.isDefaultChain() ? { Default: true } : {}),
      Protocol: this.protocol,
      ...(meta && Object.keys(meta).length ? { ServiceMeta: meta } : {}),
      StartNode: this.start,
      Nodes: Object.fromEntries([...this.nodes.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
      Targets: Object.fromEntries(
        [...this.targets.values()]
          .filter((t) => this.retained.has(t.id))
          .sort((a, b) => (a.id < b.id ? -1 : 1))
          .map((t) => [t.id, targetJson(t)]),
      ),
    };
  }

  /** One synthesized resolver for the service itself: no routing, splitting, redirect or subsets. */
  private isDefaultChain(): boolean {
    const node = this.nodes.get(this.start);
    if (node?.Type !== 'resolver' || !node.Resolver!.Default) return false;
    return this.targets.get(node.Resolver!.Target)?.service === this.req.serviceName;
  }
}

function targetJson(t: ChainTarget): DiscoveryTarget {
  return {
    ID: t.id,
    Service: t.service,
    ...(t.subset ? { ServiceSubset: t.subset } : {}),
    Namespace: DEFAULT_NAMESPACE,
    Partition: DEFAULT_PARTITION,
    Datacenter: t.datacenter,
    MeshGateway: t.meshGateway.Mode ? { Mode: t.meshGateway.Mode } : {},
    Subset: { ...(t.subsetDef.Filter ? { Filter: t.subsetDef.Filter } : {}), ...(t.subsetDef.OnlyPassing ? { OnlyPassing: true } : {}) },
    TransparentProxy: t.dialedDirectly ? { DialedDirectly: true } : {},
    ConnectTimeout: formatDuration(t.connectTimeoutMs),
    ...(t.external ? { External: true } : {}),
    SNI: t.sni,
    Name: t.name,
  };
}

/** Compiles the chain of `req.serviceName`; throws WeftError BAD_REQUEST with the reason a chain is invalid. */
export function compileDiscoveryChain(view: ConfigView, req: CompileRequest): CompiledDiscoveryChain {
  return new ChainCompiler(view, req).compile();
}
