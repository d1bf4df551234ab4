import { describe, expect, it } from 'vitest';
import type { Authorizer, Resource } from '../http/authorizer.js';
import { AclDiscovery } from './acl-discovery.js';
import { MemoryDiscovery } from './memory-discovery.js';

const node = (name: string, address: string) => ({ name, address, datacenter: 'dc1', meta: {} });
const instance = (service: string, n: ReturnType<typeof node>) => ({
  node: n,
  service: { name: service, address: '', port: 80, tags: [], weights: { passing: 1, warning: 1 } },
  health: 'passing' as const,
});

/** Reads `web` and the `pub-*` nodes; `dns-token` is the only token it knows. */
function authorizer(seen: string[]): Authorizer {
  const readable = (r: Resource) => ('name' in r ? (r.kind === 'service' ? r.name === 'web' : r.name.startsWith('pub-')) : false);
  return {
    defaultPolicy: 'deny',
    check: () => {},
    allows: (token, r) => (seen.push(token), readable(r)),
    prepare: async (token) => void seen.push(`prepare:${token}`),
  };
}

describe('AclDiscovery', () => {
  it('shows only what the dns token may read: a hidden node or instance is simply not there', async () => {
    const inner = new MemoryDiscovery();
    inner.addInstance(instance('web', node('pub-1', '10.0.0.1')));
    inner.addInstance(instance('web', node('priv-1', '10.0.0.2')));
    inner.addInstance(instance('db', node('pub-2', '10.0.0.3')));
    inner.setServers([node('pub-1', '10.0.0.1'), node('priv-1', '10.0.0.2')]);
    inner.setVirtualIp('db', '240.0.0.1');
    const seen: string[] = [];
    const d = new AclDiscovery(inner, { authz: authorizer(seen), token: () => 'dns-token' });
    expect((await d.instances('web', 'service')).map((i) => i.node.name)).toEqual(['pub-1']);
    expect(await d.instances('db', 'service')).toEqual([]);
    expect((await d.node('pub-2'))?.name).toBe('pub-2');
    expect(await d.node('priv-1')).toBeUndefined();
    expect(await d.nodeByAddress('10.0.0.2')).toBeUndefined();
    expect((await d.servers()).map((n) => n.name)).toEqual(['pub-1']);
    expect(await d.virtualIp('db')).toBeUndefined();
    expect(new Set(seen)).toEqual(new Set(['prepare:dns-token', 'dns-token']));
  });
});
