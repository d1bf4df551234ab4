import type { RuntimeConfig } from '../config/index.js';
import type { Member } from '../http/index.js';
import { CONSUL_API_VERSION, PROTOCOL } from '../version.js';

export const MemberStatus = { alive: 1, leaving: 2, left: 3, failed: 4 } as const;
export type MemberStatusName = keyof typeof MemberStatus;

export interface MemberEntry {
  member: Member;
  /** When the member was last heard from (epoch ms). */
  lastSeen: number;
  /** When the member entered its current status (epoch ms). */
  since: number;
}

const key = (name: string): string => name.toLowerCase();
const sameMember = (a: Member, b: Member): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The cluster's members as this agent knows them. On a server it is the authority, fed by
 * heartbeats; on a client it is the copy the server last sent. `version` moves whenever
 * what `list()` returns changes, so a client asks for the list only when it changed.
 */
export class Membership {
  private readonly members = new Map<string, MemberEntry>();
  version = 1;

  constructor(self: Member) {
    this.upsert(self);
  }

  get(name: string): MemberEntry | undefined {
    return this.members.get(key(name));
  }

  /** Adds or refreshes a member; returns the status it had before (undefined when new). */
  upsert(member: Member, now = Date.now()): number | undefined {
    const prev = this.members.get(key(member.Name));
    const since = prev && prev.member.Status === member.Status ? prev.since : now;
    this.members.set(key(member.Name), { member, lastSeen: now, since });
    if (!prev || !sameMember(prev.member, member)) this.version++;
    return prev?.member.Status;
  }

  touch(name: string, now = Date.now()): void {
    const e = this.members.get(key(name));
    if (e) e.lastSeen = now;
  }

  setStatus(name: string, status: MemberStatusName, now = Date.now()): void {
    const e = this.members.get(key(name));
    if (!e || e.member.Status === MemberStatus[status]) return;
    this.members.set(key(name), { member: { ...e.member, Status: MemberStatus[status] }, lastSeen: e.lastSeen, since: now });
    this.version++;
  }

  remove(name: string): void {
    if (this.members.delete(key(name))) this.version++;
  }

  /** A client takes the server's list as it is, keeping its own entry. */
  replace(members: Member[], version: number, selfName: string): void {
    const self = this.members.get(key(selfName));
    this.members.clear();
    for (const m of members) this.members.set(key(m.Name), { member: m, lastSeen: Date.now(), since: Date.now() });
    if (self && !this.members.has(key(selfName))) this.members.set(key(selfName), self);
    this.version = version;
  }

  entries(): MemberEntry[] {
    return [...this.members.values()];
  }

  /** Servers first, then by name, as `consul members` lists them. */
  list(): Member[] {
    return [...this.members.values()]
      .map((e) => e.member)
      .sort((a, b) => Number(b.Tags.role === 'consul') - Number(a.Tags.role === 'consul') || a.Name.localeCompare(b.Name));
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
