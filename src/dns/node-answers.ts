import { recordsForHost, recordsForIp, type AnswerContext } from './address-answers.js';
import type { DiscoveryNode } from './discovery.js';
import { isIp, metaTxtRecords, nodeName } from './records.js';

/**
 * `<node>.node.consul`: the node's address (a CNAME when it is a host name) and its
 * metadata as TXT records, in the answer for TXT and ANY questions, otherwise in the
 * additional section when `enable_additional_node_meta_txt` is on.
 */
export async function nodeAnswers(ctx: AnswerContext, node: DiscoveryNode): Promise<void> {
  const ttl = ctx.cfg.nodeTtl;
  const qtype = ctx.q.qtype;
  const srv = { port: 0, weight: 0, datacenter: node.datacenter };
  // A CNAME may not share its name with other data: a TXT question about a host-named node gets only TXT.
  const { answers, extra } = isIp(node.address)
    ? recordsForIp(ctx, nodeName(node.name, node.datacenter, ctx.domain), node.address, ttl, srv)
    : qtype === 'TXT'
      ? { answers: [], extra: [] }
      : await recordsForHost(ctx, node.address, ttl, srv);
  ctx.reply.answers.push(...answers);
  ctx.reply.additionals.push(...extra);
  const metaInAnswer = qtype === 'TXT' || qtype === 'ANY';
  if (metaInAnswer || ctx.cfg.nodeMetaTxt) {
    const txt = metaTxtRecords(ctx.q.qname, node.meta, ttl);
    if (metaInAnswer) ctx.reply.answers.push(...txt);
    else ctx.reply.additionals.push(...txt);
  }
}
