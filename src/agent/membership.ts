import type { RuntimeConfig } from '../config/index.js';
import type { Member } from '../http/index.js';
import { CONSUL_API_VERSION, PROTOCOL } from '../version.js';

export const MemberStatus = { alive: 1, leaving: 2, left: 3, failed: 4 } as const;
export type MemberStatusName = keyof typeof MemberStatus;

/**
 * The agent's view of cluster members. Servers learn clients from their heartbeats
 * (the catalog issue); until then the only member is the agent itself.
 */
export class Membership {
  private readonly members = new Map<string, Member>();

  constructor(config: RuntimeConfig, nodeId: string, advertise: string) {
    this.upsert(selfMember(config, nodeId, advertise));
  }

  upsert(member: Member): void {
    this.members.set(member.Name, member);
  }

  setStatus(name: string, status: MemberStatusName): void {
    const m = this.members.get(name);
    if (m) this.members.set(name, { ...m, Status: MemberStatus[status] });
  }

  remove(name: string): void {
    this.members.delete(name);
  }

  /** Servers first, then by name, as `consul members` lists them. */
  list(): Member[] {
    return [...this.members.values()].sort(
      (a, b) => Number(b.Tags.role === 'consul') - Number(a.Tags.role === 'consul') || a.Name.localeCompare(b.Name),
    );
  }
}

export function selfMember(config: RuntimeConfig, nodeId: string, advertise: string): Member {
  const tags: Record<string, string> = {
    role: config.server ? 'consul' : 'node',
    dc: config.datacenter,
    id: nodeId,
    build: `${CONSUL_API_VERSION}:weft`,
    vsn: String(PROTOCOL.cur),
    vsn_min: String(PROTOCOL.min),
    vsn_max: String(PROTOCOL.max),
    segment: '',
  };
  if (config.server) {
    tags.port = String(config.ports.server);
    tags.raft_vsn = '3';
    if (config.bootstrapExpect) tags.expect = String(config.bootstrapExpect);
    if (config.bootstrap || config.dev) tags.bootstrap = '1';
  }
  return {
    Name: config.nodeName,
    Addr: advertise,
    Port: config.ports.serfLan,
    Tags: tags,
    Status: MemberStatus.alive,
    ProtocolMin: 1,
    ProtocolMax: 5,
    ProtocolCur: 2,
    DelegateMin: 2,
    DelegateMax: 5,
    DelegateCur: 4,
  };
}
