import type { Answer } from 'dns-packet';
import type { Logger } from 'pino';
import { isWeftError } from '../lib/errors.js';
import type { AnswerContext } from './address-answers.js';
import type { DnsConfig } from './config.js';
import type { Discovery } from './discovery.js';
import { hexToIp, ipFromArpa } from './ip.js';
import { Rcode, addEdns, encodeReply, replyTo, type Query, type RcodeValue, type Reply } from './message.js';
import { nodeAnswers } from './node-answers.js';
import { isAddrName, matchDomain, parseLocality, parseName, serviceAndTag, type Locality } from './parser.js';
import type { Recursor } from './recursor.js';
import { addressRecord, nodeName, ptrRecord, serviceName, soaRecord } from './records.js';
import { healthyInstances, serviceAnswers } from './service-answers.js';
import { answerCap, trimReply } from './truncate.js';
import { zoneAnswers } from './zone-answers.js';

/** How deep CNAMEs to Consul names are followed inside one answer. */
const MAX_RECURSION = 3;
const ZONE_TRANSFERS: ReadonlySet<string> = new Set(['AXFR', 'IXFR']);

type Outcome = 'answered' | 'nxdomain' | 'virtual';

export interface RouterOptions {
  config: DnsConfig;
  discovery: Discovery;
  recursor: Recursor;
  log: Logger;
}

/**
 * Turns one question into one reply: names in the served domains (and `arpa.`) are
 * answered from discovery, everything else goes to the recursors or is refused.
 */
export class Router {
  private readonly cfg: DnsConfig;
  private readonly discovery: Discovery;
  private readonly recursor: Recursor;
  private readonly log: Logger;

  constructor(opts: RouterOptions) {
    this.cfg = opts.config;
    this.discovery = opts.discovery;
    this.recursor = opts.recursor;
    this.log = opts.log;
  }

  /** The encoded reply. Never throws: an unexpected failure becomes SERVFAIL. */
  async handle(q: Query): Promise<Buffer> {
    try {
      const out = await this.route(q, MAX_RECURSION);
      return Buffer.isBuffer(out) ? out : encodeReply(out, !this.cfg.disableCompression);
    } catch (err) {
      // Servers out of reach (a client agent before it joined) fail every question alike: not worth an error line each.
      if (isWeftError(err, 'UNAVAILABLE')) this.log.debug({ err, question: q.name }, 'no server to answer a DNS question');
      else this.log.error({ err, question: q.name, type: q.qtype }, 'answering a DNS question failed');
      return encodeReply(this.serverFailure(q, false));
    }
  }

  private async route(q: Query, depth: number): Promise<Reply | Buffer> {
    const canRecurse = this.recursor.enabled;
    const match = matchDomain(q.qname, this.cfg.domain, this.cfg.altDomain);
    if (!match) return canRecurse ? this.recurse(q) : replyTo(q, Rcode.REFUSED);
    if (ZONE_TRANSFERS.has(q.qtype)) return this.negative(q, match.domain, Rcode.NOTIMP, false);
    const reply = replyTo(q, Rcode.NOERROR, { authoritative: true, recursionAvailable: canRecurse });
    const ctx: AnswerContext = {
      q,
      cfg: this.cfg,
      domain: match.domain,
      reply,
      cap: depth === MAX_RECURSION ? answerCap(q, this.cfg.udpAnswerLimit) : Infinity,
      resolve: (name) => this.resolve(q, name, depth),
    };
    let outcome: Outcome = 'answered';
    if (q.qtype === 'SOA' || q.qtype === 'NS') {
      zoneAnswers(ctx, await this.discovery.servers());
    } else if (match.arpa) {
      if (!(await this.reverseAnswer(ctx))) return canRecurse ? this.recurse(q) : this.negative(q, match.domain, Rcode.NXDOMAIN);
    } else if (isAddrName(match.labels)) {
      if (!this.addrAnswer(ctx, match.labels[0])) outcome = 'nxdomain';
    } else {
      outcome = await this.nameAnswers(ctx, match.labels);
    }
    if (outcome === 'nxdomain') return this.negative(q, match.domain, Rcode.NXDOMAIN);
    // NODATA: the name exists but has nothing of the asked type (RFC 2308 type 2, with the SOA).
    if (outcome !== 'virtual' && reply.answers.length === 0 && reply.additionals.length === 0) return this.negative(q, match.domain, Rcode.NOERROR);
    if (depth === MAX_RECURSION) trimReply(q, reply, this.cfg);
    addEdns(reply, q);
    return reply;
  }

  private async nameAnswers(ctx: AnswerContext, labels: string[]): Promise<Outcome> {
    const parsed = parseName(labels, ctx.q.qtype === 'SRV');
    const locality = parsed && parseLocality(parsed.suffixes);
    if (!parsed || !locality || parsed.parts.length === 0) return 'nxdomain';
    const { kind, parts } = parsed;
    if (kind === 'virtual') {
      // Virtual IPs are per datacenter; the only locality label a virtual name takes is a peer, and Weft has none.
      if (locality.peerOrDatacenter || !this.isLocal(locality)) return 'nxdomain';
      const ip = await this.discovery.virtualIp(parts[parts.length - 1]);
      if (ip) ctx.reply.answers.push(addressRecord(ctx.q.qname, ip, this.cfg.nodeTtl));
      return 'virtual';
    }
    if (!this.isLocal(locality)) return 'nxdomain';
    switch (kind) {
      case 'node': {
        const node = await this.discovery.node(parts.join('.'));
        if (!node) return 'nxdomain';
        await nodeAnswers(ctx, node);
        return 'answered';
      }
      case 'service':
      case 'connect':
      case 'ingress': {
        const target = kind === 'service' ? serviceAndTag(parts) : { service: parts[parts.length - 1], tag: '' };
        if (!target) return 'nxdomain';
        const found = this.discovery.instances(target.service, kind);
        const all = found instanceof Promise ? await found : found;
        const instances = healthyInstances(all, this.cfg.onlyPassing, target.tag);
        if (instances.length === 0) return 'nxdomain';
        await serviceAnswers(ctx, instances, this.cfg.serviceTtl(target.service) ?? this.cfg.nodeTtl);
        return 'answered';
      }
      default:
        // Prepared queries (`<query>.query.consul`) do not exist yet: every name is unknown.
        return 'nxdomain';
    }
  }

  /** Names for this datacenter with the default namespace and partition; peers and sameness groups do not exist here. */
  private isLocal(l: Locality): boolean {
    if (l.peer || l.samenessGroup) return false;
    if (!['', 'default'].includes(l.namespace) || !['', 'default'].includes(l.partition)) return false;
    const dc = l.datacenter || l.peerOrDatacenter;
    return dc === '' || dc === this.discovery.datacenter.toLowerCase();
  }

  /** `<ip>.in-addr.arpa` / `ip6.arpa`: a node with that address, else a service instance registered with it. */
  private async reverseAnswer(ctx: AnswerContext): Promise<boolean> {
    const ip = ipFromArpa(ctx.q.qname);
    if (!ip) return false;
    const node = await this.discovery.nodeByAddress(ip);
    const instance = node ? undefined : await this.discovery.instanceByAddress(ip);
    const target = node
      ? nodeName(node.name, node.datacenter, this.cfg.domain)
      : instance
        ? serviceName(instance.service.name, instance.node.datacenter, this.cfg.domain)
        : null;
    if (!target) return false;
    ctx.reply.answers.push(ptrRecord(ctx.q.qname, target));
    return true;
  }

  /** `<hex>.addr.consul`: the address the label encodes, in the answer only when its type was asked for. */
  private addrAnswer(ctx: AnswerContext, hex: string): boolean {
    const ip = hexToIp(hex);
    if (!ip) return false;
    const record = addressRecord(ctx.q.qname, ip, this.cfg.nodeTtl);
    const qtype = ctx.q.qtype;
    if (qtype === 'ANY' || qtype === record.type) ctx.reply.answers.push(record);
    else ctx.reply.additionals.push(record);
    return true;
  }

  /** What a CNAME target resolves to: Consul names one level deeper, others through the recursors. */
  private async resolve(q: Query, name: string, depth: number): Promise<Answer[]> {
    const lname = name.toLowerCase();
    const inDomain = lname.endsWith(`.${this.cfg.domain}`) || (this.cfg.altDomain !== null && lname.endsWith(`.${this.cfg.altDomain}`));
    if (inDomain) {
      if (depth < 1) {
        this.log.warn({ name }, 'CNAME loop in Consul names, not following it');
        return [];
      }
      const out = await this.route({ ...q, name: lname, qname: lname, qtype: 'ANY', edns: null }, depth - 1);
      return Buffer.isBuffer(out) ? [] : out.answers;
    }
    return this.recursor.enabled ? this.recursor.lookup(name, 'A') : [];
  }

  private async recurse(q: Query): Promise<Reply | Buffer> {
    return (await this.recursor.forward(q)) ?? this.serverFailure(q, true);
  }

  /** NXDOMAIN, NODATA or NOTIMP: authoritative, with the zone's SOA so resolvers cache the absence. */
  private negative(q: Query, domain: string, rcode: RcodeValue, withSoa = true): Reply {
    const reply = replyTo(q, rcode, { authoritative: true, recursionAvailable: this.recursor.enabled });
    if (withSoa) reply.authorities.push(soaRecord(domain, this.cfg.soa));
    addEdns(reply, q);
    return reply;
  }

  private serverFailure(q: Query, recursionAvailable: boolean): Reply {
    const reply = replyTo(q, Rcode.SERVFAIL, { recursionAvailable });
    addEdns(reply, q);
    return reply;
  }
}
