import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/index.js';
import { CA_ROOTS, NODES, caRoots, tableTopic, type StateStore } from '../state/index.js';
import { CAManager } from './ca/manager.js';
import { defaultIntentionPolicy } from './intentions/default-policy.js';
import type { DefaultPolicy } from './intentions/decide.js';
import { LeafCache, type LeafSigner, type RootsWatch } from './leaf/cache.js';

/** A server's Connect: the CA and this agent's leaf certificates, one set per store. */
export interface ConnectRuntime {
  ca: CAManager;
  leaves: LeafCache;
  defaultPolicy: DefaultPolicy;
  stop(): void;
}

export interface ConnectRuntimeOptions {
  config: RuntimeConfig;
  isLeader: () => boolean;
  log: Logger;
}

const runtimes = new WeakMap<StateStore, ConnectRuntime>();

/** Connect is on unless `connect.enabled = false` (dev mode always turns it on), as in newer Consul. */
export function connectEnabled(config: RuntimeConfig): boolean {
  return config.connect.enabled !== false;
}

/** Roots as the leaf cache sees them, read from the local store and woken by its writes. */
export function storeRootsWatch(store: StateStore): RootsWatch {
  return {
    current() {
      const r = caRoots(store, null);
      const active = r.roots.find((x) => x.Active);
      return active ? { trustDomain: r.trustDomain, activeSigningKeyId: active.SigningKeyID } : null;
    },
    subscribe: (onChange) => store.hub.subscribe([tableTopic(CA_ROOTS)], onChange),
  };
}

/**
 * Created on first use (the API routes ask for it as the agent starts, which sets up the CA
 * on a fresh cluster); `null` when Connect is disabled. On a server the leaf cache signs
 * in-process through the same CAManager.sign the internal sign endpoint uses; a client agent
 * would give its LeafCache a signer that calls that endpoint on a server.
 */
export function connectRuntime(store: StateStore, opts: ConnectRuntimeOptions): ConnectRuntime | null {
  if (!connectEnabled(opts.config)) return null;
  let rt = runtimes.get(store);
  if (rt) return rt;
  const ca = new CAManager({
    store,
    datacenter: opts.config.datacenter,
    isLeader: opts.isLeader,
    log: opts.log,
    bootstrapConfig: (opts.config.connect.ca_config as Record<string, unknown> | undefined) ?? {},
  });
  const signer: LeafSigner = { sign: (csr) => ca.sign(csr) };
  const leaves = new LeafCache({
    signer,
    roots: storeRootsWatch(store),
    datacenter: opts.config.datacenter,
    hub: store.hub,
    baseIndex: () => store.index,
    // 100 ms per node, between 1 s and Consul's fixed 30 s: a small cluster re-signs quickly.
    rotationJitterMs: () => Math.min(30_000, Math.max(1_000, store.table(NODES).size * 100)),
    log: opts.log,
  });
  rt = {
    ca,
    leaves,
    defaultPolicy: defaultIntentionPolicy(opts.config),
    stop() {
      ca.stop();
      leaves.stop();
      runtimes.delete(store);
    },
  };
  runtimes.set(store, rt);
  ca.start();
  return rt;
}
