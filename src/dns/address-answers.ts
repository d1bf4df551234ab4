import type { Answer } from 'dns-packet';
import type { DnsConfig } from './config.js';
import { canonicalIp, ipFamily } from './ip.js';
import type { Query, Reply } from './message.js';
import { addrName, addressRecord, cnameRecord, srvRecord } from './records.js';

/** A Consul FQDN resolved a level deeper, or a foreign one through the recursors. */
export type NameResolver = (name: string) => Promise<Answer[]>;

/** What every answer builder works with for one question. */
export interface AnswerContext {
  q: Query;
  cfg: DnsConfig;
  /** The domain the question used, with the trailing dot. */
  domain: string;
  reply: Reply;
  /** Builders may stop once the reply holds more answers than this (see `answerCap`). */
  cap: number;
  resolve: NameResolver;
}

export interface Records {
  answers: Answer[];
  extra: Answer[];
}

export const NONE: Records = { answers: [], extra: [] };

/** What an SRV answer for this address needs: the port and weight, and the instance's node address. */
export interface SrvTarget {
  port: number;
  weight: number;
  /** Set for service instances: an address unlike the node's gets an `.addr.` target. */
  nodeAddress?: string;
  datacenter: string;
}

const A_QTYPES: ReadonlySet<string> = new Set(['SRV', 'A', 'ANY', 'NS', 'TXT']);
const AAAA_QTYPES: ReadonlySet<string> = new Set(['SRV', 'AAAA', 'ANY', 'NS', 'TXT']);

/**
 * Records for an IP. A/AAAA answers only what was asked for (ANY takes both); other
 * question types that can use an address (SRV, TXT, NS) get it in the additional section.
 * For SRV the address record is named after the target: the node, or `<hex>.addr.` when a
 * service has an address of its own.
 */
export function recordsForIp(ctx: AnswerContext, targetName: string, ip: string, ttl: number, srv: SrvTarget): Records {
  const qtype = ctx.q.qtype;
  const v4 = ipFamily(ip) === 4;
  if (v4 ? !A_QTYPES.has(qtype) : !AAAA_QTYPES.has(qtype)) return NONE;
  const answers: Answer[] = [];
  let owner = ctx.q.qname;
  if (qtype === 'SRV') {
    owner = targetName;
    if (srv.nodeAddress !== undefined && canonicalIp(srv.nodeAddress) !== canonicalIp(ip)) owner = addrName(ip, srv.datacenter, ctx.domain);
    answers.push(srvRecord(ctx.q.qname, owner, srv.port, srv.weight, ttl));
  }
  const record = addressRecord(owner, ip, ttl);
  const asked = qtype === 'ANY' || qtype === (v4 ? 'A' : 'AAAA');
  return asked ? { answers: [...answers, record], extra: [] } : { answers, extra: [record] };
}

const MAX_RECURSE_RECORDS = 5;
const FOLLOWED: ReadonlySet<string> = new Set(['CNAME', 'A', 'AAAA', 'TXT']);

/**
 * Records for a host name: a CNAME (or an SRV pointing at the name) plus what the name
 * resolves to, at most five records unless the requester speaks EDNS0.
 */
export async function recordsForHost(ctx: AnswerContext, host: string, ttl: number, srv: SrvTarget): Promise<Records> {
  const target = host.endsWith('.') ? host : `${host}.`;
  const resolved = await ctx.resolve(target);
  const more: Answer[] = [];
  for (const rr of resolved) {
    if (!FOLLOWED.has(rr.type)) continue;
    more.push({ ...rr, ttl } as Answer);
    if (more.length === MAX_RECURSE_RECORDS && !ctx.q.edns) break;
  }
  if (ctx.q.qtype === 'SRV') return { answers: [srvRecord(ctx.q.qname, target, srv.port, srv.weight, ttl)], extra: more };
  return { answers: [cnameRecord(ctx.q.qname, target, ttl), ...more], extra: [] };
}
