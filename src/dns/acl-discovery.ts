import type { Authorizer, Resource } from '../http/authorizer.js';
import type { Discovery, DiscoveryInstance, DiscoveryNode, InstanceRole, Maybe } from './discovery.js';

export interface DnsAcl {
  authz: Authorizer;
  /** The agent's `dns` token ('' falls back to its `default` token, then anonymous). */
  token: () => string;
}

/**
 * Discovery as the agent's DNS token sees it: nodes it may not read (node:read) and service
 * instances it may not read (node:read and service:read) are simply not there, so their names
 * answer NXDOMAIN like names that do not exist — DNS says nothing about what it hides.
 */
export class AclDiscovery implements Discovery {
  readonly datacenter: string;

  constructor(
    private readonly inner: Discovery,
    private readonly acl: DnsAcl,
  ) {
    this.datacenter = inner.datacenter;
  }

  private async allows(...resources: Resource[]): Promise<boolean> {
    const token = this.acl.token();
    await this.acl.authz.prepare?.(token);
    return resources.every((r) => this.acl.authz.allows(token, r, 'read'));
  }

  private async visibleNode(n: DiscoveryNode | undefined): Promise<DiscoveryNode | undefined> {
    return n && (await this.allows({ kind: 'node', name: n.name })) ? n : undefined;
  }

  private async visibleInstance(i: DiscoveryInstance | undefined): Promise<DiscoveryInstance | undefined> {
    return i && (await this.allows({ kind: 'node', name: i.node.name }, { kind: 'service', name: i.service.name })) ? i : undefined;
  }

  async node(name: string): Promise<DiscoveryNode | undefined> {
    return this.visibleNode(await this.inner.node(name));
  }

  async instances(name: string, role: InstanceRole): Promise<readonly DiscoveryInstance[]> {
    const all = await this.inner.instances(name, role);
    const out: DiscoveryInstance[] = [];
    for (const i of all) if (await this.visibleInstance(i)) out.push(i);
    return out;
  }

  async nodeByAddress(ip: string): Promise<DiscoveryNode | undefined> {
    return this.visibleNode(await this.inner.nodeByAddress(ip));
  }

  async instanceByAddress(ip: string): Promise<DiscoveryInstance | undefined> {
    return this.visibleInstance(await this.inner.instanceByAddress(ip));
  }

  async servers(): Promise<readonly DiscoveryNode[]> {
    const out: DiscoveryNode[] = [];
    for (const n of await this.inner.servers()) if (await this.visibleNode(n)) out.push(n);
    return out;
  }

  virtualIp(name: string): Maybe<string | undefined> {
    return this.allows({ kind: 'service', name }).then((ok) => (ok ? this.inner.virtualIp(name) : undefined));
  }
}
