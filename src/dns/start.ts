import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/index.js';
import type { StateStore } from '../state/index.js';
import { dnsConfigFrom } from './config.js';
import { DnsServer } from './server.js';
import type { Discovery, DiscoveryNode } from './discovery.js';
import { RemoteDiscovery } from './remote-discovery.js';
import { StoreDiscovery } from './store-discovery.js';

export interface StartDnsOptions {
  advertise: string;
  log: Logger;
  /** On a client agent: the server to ask (`host:port` of its API), since the local store holds no catalog. */
  server?: () => string | null;
}

/**
 * Starts the agent's DNS interface on every client address, answering from the store (a
 * server) or from the servers (a client). Resolves null when `ports.dns` is negative
 * (`-dns-port=-1`); port 0 lets the OS choose.
 */
export async function startDnsServer(config: RuntimeConfig, store: StateStore, opts: StartDnsOptions): Promise<DnsServer | null> {
  if (config.ports.dns < 0) return null;
  const self = (): DiscoveryNode => ({ name: config.nodeName, address: opts.advertise, datacenter: config.datacenter, meta: config.nodeMeta });
  let discovery: Discovery;
  let release: () => void;
  if (opts.server) {
    const remote = new RemoteDiscovery({ server: opts.server, datacenter: config.datacenter, self, log: opts.log });
    [discovery, release] = [remote, () => remote.close()];
  } else {
    const local = new StoreDiscovery(store, { datacenter: config.datacenter, self });
    [discovery, release] = [local, () => local.clear()];
  }
  const server = new DnsServer({ config: dnsConfigFrom(config), discovery, log: opts.log, onClose: release });
  try {
    for (const host of config.clientAddr) await server.listen(host, config.ports.dns);
  } catch (err) {
    await server.close();
    throw err;
  }
  for (const address of server.addresses().udp) opts.log.info(`DNS server listening on ${address} (udp and tcp)`);
  return server;
}
