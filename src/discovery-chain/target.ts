/** Target identity and naming (Consul's DiscoveryTarget IDs and agent/connect/sni.go). */

export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_PARTITION = 'default';

export interface TargetKey {
  service: string;
  subset: string;
  datacenter: string;
}

export function targetId(t: TargetKey): string {
  const base = `${t.service}.${DEFAULT_NAMESPACE}.${DEFAULT_PARTITION}.${t.datacenter}`;
  return t.subset ? `${t.subset}.${base}` : base;
}

/** The TLS server name a caller sends to reach the target's instances through the mesh ('' without a trust domain). */
export function targetSni(t: TargetKey, trustDomain: string): string {
  if (!trustDomain) return '';
  const base = `${t.service}.${DEFAULT_NAMESPACE}.${t.datacenter}.internal.${trustDomain}`;
  return t.subset ? `${t.subset}.${base}` : base;
}

/** Router and splitter nodes are named after the service they belong to. */
export const serviceNodeName = (service: string): string => `${service}.${DEFAULT_NAMESPACE}.${DEFAULT_PARTITION}`;

export const nodeKey = (type: string, name: string): string => `${type}:${name}`;

/** A resolver's connect timeout when it sets none. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
