export { DnsServer, type DnsServerOptions } from './server.js';
export { dnsConfigFrom, type DnsConfig } from './config.js';
export type { Discovery, DiscoveryInstance, DiscoveryNode, DiscoveryService, InstanceHealth, InstanceRole } from './discovery.js';
export { StoreDiscovery, type StoreDiscoveryOptions } from './store-discovery.js';
export { MemoryDiscovery } from './memory-discovery.js';
export { RemoteDiscovery, type RemoteDiscoveryOptions } from './remote-discovery.js';
export { startDnsServer, type StartDnsOptions } from './start.js';
