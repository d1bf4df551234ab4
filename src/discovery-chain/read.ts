/**
 * Compiling a chain from the store, for blocking readers: every entry the compiler looks at
 * (present or not) adds its own topic to the watch set, so a reader wakes when one of those
 * entries is written or deleted, and not for other services' entries.
 */
import {
  PROXY_DEFAULTS,
  SERVICE_DEFAULTS,
  SERVICE_RESOLVER,
  SERVICE_ROUTER,
  SERVICE_SPLITTER,
  caConfig,
  configEntryTopic,
  configKindIndex,
  configKindTopic,
  storeConfigView,
  type ConfigView,
  type MeshGatewayConfig,
  type StateStore,
  type WatchSet,
} from '../state/index.js';
import { compileDiscoveryChain } from './compile.js';
import type { CompiledDiscoveryChain } from './types.js';

/** The kinds a chain is compiled from: a write to any of them may change some chain. */
export const CHAIN_SOURCE_KINDS = [SERVICE_ROUTER, SERVICE_SPLITTER, SERVICE_RESOLVER, SERVICE_DEFAULTS, PROXY_DEFAULTS] as const;

export interface ChainOptions {
  /** The datacenter the chain is evaluated in. */
  datacenter: string;
  overrideProtocol?: string;
  overrideConnectTimeoutMs?: number;
  overrideMeshGateway?: MeshGatewayConfig;
}

/** A view of the committed entries that records what was looked at in `ws`. */
export function watchedConfigView(store: StateStore, ws: WatchSet | null): ConfigView {
  const view = storeConfigView(store);
  return {
    get(kind, name) {
      ws?.add(configEntryTopic(kind, name));
      return view.get(kind, name);
    },
    list(kind) {
      ws?.add(configKindTopic(kind));
      return view.list(kind);
    },
  };
}

/** The highest modify index of the kinds chains are compiled from (deletes move it too) and of the CA config. */
export function chainSourcesIndex(store: StateStore, ws: WatchSet | null): number {
  return Math.max(caConfig(store, ws).index, ...CHAIN_SOURCE_KINDS.map((k) => configKindIndex(store, k)));
}

/** The trust domain targets' SNIs are built with; '' until the CA is configured. */
export function chainTrustDomain(store: StateStore, ws: WatchSet | null): string {
  const config = caConfig(store, ws).config;
  return config ? `${config.ClusterID}.consul` : '';
}

export function readDiscoveryChain(
  store: StateStore,
  ws: WatchSet | null,
  service: string,
  opts: ChainOptions & { trustDomain: string },
): { index: number; chain: CompiledDiscoveryChain } {
  const chain = compileDiscoveryChain(watchedConfigView(store, ws), { serviceName: service, ...opts });
  return { index: chainSourcesIndex(store, ws), chain };
}
