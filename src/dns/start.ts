import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/index.js';
import type { StateStore } from '../state/index.js';
import { dnsConfigFrom } from './config.js';
import { DnsServer } from './server.js';
import type { Discovery, DiscoveryNode } from './discovery.js';
import type { ApiClient } from '../api/index.js';
import { allowAll, type Authorizer } from '../http/authorizer.js';
import { AclDiscovery, type DnsAcl } from './acl-discovery.js';
import { RemoteDiscovery } from './remote-discovery.js';

const isAllowAll = (a: Authorizer): boolean => a === allowAll;
import { StoreDiscovery } from './store-discovery.js';

export interface StartDnsOptions {
  advertise: string;
  log: Logger;
  /** On a client agent: the server to ask (`host:port` of its API), since the local store holds no catalog. */
  server?: () => string | null;
  /** With ACLs: answers show only what the agent's `dns` token may read. */
  acl?: DnsAcl;
  /** On a client agent: how to reach a server (TLS, and the token to ask with). Plain HTTP without a token when absent. */
  connect?: (address: string) => ApiClient;
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
    const remote = new RemoteDiscovery({ server: opts.server, datacenter: config.datacenter, self, log: opts.log, connect: opts.connect, token: opts.acl?.token });
    [discovery, release] = [remote, () => remote.close()];
  } else {
    const local = new StoreDiscovery(store, { datacenter: config.datacenter, self });
    [discovery, release] = [local, () => local.clear()];
  }
  // Without ACLs the authorizer allows everything: no need to ask it for every answer.
  if (opts.acl && !isAllowAll(opts.acl.authz)) discovery = new AclDiscovery(discovery, opts.acl);
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
