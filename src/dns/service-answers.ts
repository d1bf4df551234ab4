import type { Answer } from 'dns-packet';
import { recordsForHost, recordsForIp, NONE, type AnswerContext, type Records } from './address-answers.js';
import type { DiscoveryInstance } from './discovery.js';
import { isIp, metaTxtRecords, nodeName, recordKey, serviceName } from './records.js';

/**
 * Instances DNS may hand out: no critical check on the instance or its node (maintenance
 * counts as critical); with `only_passing`, no warning either. A tag matches case-insensitively.
 */
export function healthyInstances(all: readonly DiscoveryInstance[], onlyPassing: boolean, tag: string): readonly DiscoveryInstance[] {
  // Discovery hands out the same list until the catalog changes, so the filtered list is kept with it.
  let byFilter = healthyCache.get(all);
  if (!byFilter) {
    byFilter = new Map();
    healthyCache.set(all, byFilter);
  }
  const key = `${onlyPassing ? 1 : 0}${tag.toLowerCase()}`;
  let healthy = byFilter.get(key);
  if (!healthy) {
    healthy = filterHealthy(all, onlyPassing, tag);
    byFilter.set(key, healthy);
  }
  return healthy;
}

const healthyCache = new WeakMap<readonly DiscoveryInstance[], Map<string, readonly DiscoveryInstance[]>>();

function filterHealthy(all: readonly DiscoveryInstance[], onlyPassing: boolean, tag: string): DiscoveryInstance[] {
  const wanted = tag.toLowerCase();
  return all.filter((i) => {
    if (i.health === 'critical' || i.health === 'maintenance') return false;
    if (onlyPassing && i.health !== 'passing') return false;
    return wanted === '' || i.service.tags.some((t) => t.toLowerCase() === wanted);
  });
}

/** A fresh random order for every answer (Fisher-Yates on a copy). */
export function shuffled<T>(list: readonly T[]): T[] {
  const out = list.slice();
  for (let i = 0; i < out.length - 1; i++) swapRandom(out, i);
  return out;
}

/** Puts a uniformly chosen element of `list[i..]` at `i`: one step of Fisher-Yates. */
function swapRandom<T>(list: T[], i: number): void {
  const j = i + Math.floor(Math.random() * (list.length - i));
  const t = list[i];
  list[i] = list[j];
  list[j] = t;
}

/**
 * Visits the instances in a fresh random order, shuffling only as far as the visitor goes:
 * an answer that stops after a few instances does not pay for shuffling a hundred.
 */
async function inRandomOrder<T>(list: readonly T[], visit: (item: T) => boolean | Promise<boolean>): Promise<void> {
  const order = list.slice();
  for (let i = 0; i < order.length; i++) {
    swapRandom(order, i);
    const more = visit(order[i]);
    if (!(more instanceof Promise ? await more : more)) return;
  }
}

/** SRV weight from the instance's health: `Weights.Passing` or `Weights.Warning`. */
export function srvWeight(i: DiscoveryInstance): number {
  if (i.health === 'warning') return i.service.weights.warning;
  if (i.health === 'passing') return i.service.weights.passing;
  return 0;
}

const isHostname = (address: string): boolean => address !== '' && !isIp(address);

/**
 * Records for one instance, choosing between its service address and its node's address as
 * Consul does. Only host names need a lookup, so only they return a promise.
 */
function instanceRecords(ctx: AnswerContext, i: DiscoveryInstance, ttl: number): Records | Promise<Records> {
  const svc = i.service.address;
  const node = i.node.address;
  const dc = i.node.datacenter;
  const srv = { port: i.service.port, weight: srvWeight(i), nodeAddress: node, datacenter: dc };
  if (svc === '' && node === '') return NONE;
  if (svc === '' && isIp(node)) return recordsForIp(ctx, nodeName(i.node.name, dc, ctx.domain), node, ttl, srv);
  if (svc === '') return recordsForHost(ctx, node, ttl, srv);
  if (isIp(svc)) return recordsForIp(ctx, serviceName(i.service.name, dc, ctx.domain), svc, ttl, srv);
  // A service address naming the very service asked for would loop: use the node's address.
  if (`${svc.toLowerCase().replace(/\.$/, '')}.` === ctx.q.qname && isIp(node)) {
    return recordsForIp(ctx, nodeName(i.node.name, dc, ctx.domain), node, ttl, srv);
  }
  return recordsForHost(ctx, svc, ttl, srv);
}

/** SRV answers: one per distinct node/address/port, targets resolved in the additional section. */
async function srvAnswers(ctx: AnswerContext, instances: readonly DiscoveryInstance[], ttl: number): Promise<void> {
  const handled = new Set<string>();
  const add = ({ answers, extra }: Records, i: DiscoveryInstance): boolean => {
    ctx.reply.answers.push(...answers);
    ctx.reply.additionals.push(...extra);
    if (ctx.cfg.nodeMetaTxt) {
      const owner = isHostname(i.service.address) ? ctx.q.qname : nodeName(i.node.name, i.node.datacenter, ctx.domain);
      ctx.reply.additionals.push(...metaTxtRecords(owner, i.node.meta, ttl));
    }
    return ctx.reply.answers.length <= ctx.cap;
  };
  await inRandomOrder(instances, (i) => {
    const tuple = `${i.node.name}:${i.service.address}:${i.service.port}`;
    if (handled.has(tuple)) return true;
    handled.add(tuple);
    const found = instanceRecords(ctx, i, ttl);
    return found instanceof Promise ? found.then((r) => add(r, i)) : add(found, i);
  });
}

/**
 * Address answers: duplicates dropped, host-name instances (CNAMEs) used only when no
 * instance has an address, at most `a_record_limit` instances when it is set.
 */
async function addressAnswers(ctx: AnswerContext, instances: readonly DiscoveryInstance[], ttl: number): Promise<void> {
  const handled = new Set<string>();
  const cnames: Answer[][] = [];
  let count = 0;
  const add = ({ answers, extra }: Records): boolean => {
    ctx.reply.additionals.push(...extra);
    if (answers.length === 0) return true;
    const key = recordKey(answers[0]);
    if (handled.has(key)) return true;
    handled.add(key);
    if (answers[0].type === 'CNAME') {
      if (cnames.length === 0) cnames.push(answers);
      return true;
    }
    ctx.reply.answers.push(...answers);
    count++;
    return count !== ctx.cfg.aRecordLimit && ctx.reply.answers.length <= ctx.cap;
  };
  await inRandomOrder(instances, (i) => {
    const found = instanceRecords(ctx, i, ttl);
    return found instanceof Promise ? found.then(add) : add(found);
  });
  if (ctx.reply.answers.length === 0 && cnames.length > 0) ctx.reply.answers.push(...cnames[0]);
}

/** Answers for healthy instances, in a random order. */
export async function serviceAnswers(ctx: AnswerContext, instances: readonly DiscoveryInstance[], ttl: number): Promise<void> {
  if (ctx.q.qtype === 'SRV') await srvAnswers(ctx, instances, ttl);
  else await addressAnswers(ctx, instances, ttl);
}
