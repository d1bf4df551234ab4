import type { Answer } from 'dns-packet';
import type { AnswerContext } from './address-answers.js';
import type { DiscoveryNode } from './discovery.js';
import { addressRecord, cnameRecord, isIp, nsRecord, soaRecord } from './records.js';
import { shuffled } from './service-answers.js';

const MAX_NAME_SERVERS = 3;
const VALID_NODE_LABEL = /^[A-Za-z0-9-]+$/;

/** Up to three servers, in random order, as NS records `<node>.node.<dc>.<domain>` with their addresses as glue. */
function nameServers(ctx: AnswerContext, servers: readonly DiscoveryNode[]): { ns: Answer[]; glue: Answer[] } {
  const ttl = ctx.cfg.serviceTtl('consul') ?? ctx.cfg.nodeTtl;
  const ns: Answer[] = [];
  const glue: Answer[] = [];
  for (const server of shuffled(servers)) {
    // A node name that is not a DNS label cannot be a name server's name.
    if (!VALID_NODE_LABEL.test(server.name)) continue;
    const target = `${server.name}.node.${server.datacenter}.${ctx.domain}`.toLowerCase();
    ns.push(nsRecord(ctx.domain, target, ttl));
    glue.push(isIp(server.address) ? addressRecord(target, server.address, ttl) : cnameRecord(target, server.address, ttl));
    if (ns.length >= MAX_NAME_SERVERS) break;
  }
  return { ns, glue };
}

/** SOA and NS questions about any name in the zone are answered for the zone itself. */
export function zoneAnswers(ctx: AnswerContext, servers: readonly DiscoveryNode[]): void {
  const { ns, glue } = nameServers(ctx, servers);
  if (ctx.q.qtype === 'SOA') {
    ctx.reply.answers.push(soaRecord(ctx.domain, ctx.cfg.soa));
    ctx.reply.authorities.push(...ns);
  } else {
    ctx.reply.answers.push(...ns);
  }
  ctx.reply.additionals.push(...glue);
}
