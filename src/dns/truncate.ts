import type { Answer } from 'dns-packet';
import { recordLength } from './encode.js';
import { encodeReply, type Query, type Reply } from './message.js';

/** Consul's caps: UDP answers never exceed 8 whatever `udp_answer_limit` says; a datagram stays under 64 KiB. */
const MAX_UDP_ANSWER_LIMIT = 8;
const DEFAULT_UDP_SIZE = 512;
const MAX_UDP_DATAGRAM = 65535 - 68;
const MAX_TCP_SIZE = 65523;
const TCP_MAX_SRV = 1024;
const TCP_MAX_RECORDS = 4096;
const HEADER_BYTES = 12;

function sum(list: readonly Answer[]): number {
  let n = 0;
  for (const r of list) n += recordLength(r);
  return n;
}

/** Encoded size of a reply, with or without name compression. */
export function replyLength(reply: Reply, compress: boolean): number {
  if (compress) return encodeReply(reply, true).length;
  return HEADER_BYTES + (reply.question?.raw.length ?? 0) + sum(reply.answers) + sum(reply.authorities) + sum(reply.additionals);
}

/** The UDP size a requester accepts: 512, or its EDNS0 buffer size, capped below 64 KiB. */
export function udpSizeFor(q: Query): number {
  const size = q.edns && q.edns.udpSize > DEFAULT_UDP_SIZE ? q.edns.udpSize : DEFAULT_UDP_SIZE;
  return Math.min(size, MAX_UDP_DATAGRAM);
}

/**
 * How many answer records can survive trimming. Builders may stop once they exceed it:
 * the trimmed reply is the same, and exceeding it still marks the reply truncated.
 */
export function answerCap(q: Query, udpAnswerLimit: number): number {
  if (q.transport === 'tcp') return q.qtype === 'SRV' ? TCP_MAX_SRV : TCP_MAX_RECORDS;
  if (udpSizeFor(q) === DEFAULT_UDP_SIZE) return Math.min(MAX_UDP_ANSWER_LIMIT, udpAnswerLimit);
  return Infinity;
}

/** Keeps only the additional records that SRV answers point at (following CNAMEs), as Consul does. */
function syncExtra(index: Map<string, Answer>, reply: Reply): void {
  const extra: Answer[] = [];
  const resolved = new Set<string>();
  for (const rr of reply.answers) {
    if (rr.type !== 'SRV') continue;
    let target = rr.data.target.toLowerCase().replace(/\.?$/, '.');
    while (!resolved.has(target)) {
      resolved.add(target);
      const found = index.get(target);
      if (!found) break;
      extra.push(found);
      if (found.type !== 'CNAME') break;
      target = found.data.toLowerCase().replace(/\.?$/, '.');
    }
  }
  reply.additionals = extra;
}

function indexOf(records: readonly Answer[]): Map<string, Answer> {
  const index = new Map<string, Answer>();
  for (const rr of records) {
    const name = rr.name.toLowerCase().replace(/\.?$/, '.');
    if (!index.has(name)) index.set(name, rr);
  }
  return index;
}

/** Binary search for the longest answer prefix that fits `maxSize`. */
function bestPrefix(reply: Reply, maxSize: number, index: Map<string, Answer> | null, compress: boolean): number {
  const original = reply.answers;
  let start = 0;
  let end = original.length + 1;
  while (end - start > 1) {
    const median = start + Math.floor((end - start) / 2);
    reply.answers = original.slice(0, median);
    if (index) syncExtra(index, reply);
    const len = replyLength(reply, compress);
    if (len <= maxSize) {
      if (maxSize - len < 10) return median;
      start = median;
    } else {
      end = median;
    }
  }
  reply.answers = original;
  return start;
}

function shrinkTo(reply: Reply, maxSize: number, index: Map<string, Answer> | null, compress: boolean): void {
  while (reply.answers.length > 1 && replyLength(reply, compress) > maxSize) {
    reply.authorities = [];
    if (replyLength(reply, compress) - maxSize > 100) reply.answers = reply.answers.slice(0, bestPrefix(reply, maxSize, index, compress));
    else reply.answers = reply.answers.slice(0, -1);
    if (index) syncExtra(index, reply);
  }
}

function trimUdp(q: Query, reply: Reply, udpAnswerLimit: number, compress: boolean): boolean {
  const numAnswers = reply.answers.length;
  const index = reply.additionals.length > 0 ? indexOf(reply.additionals) : null;
  const maxSize = udpSizeFor(q);
  const maxAnswers = Math.min(MAX_UDP_ANSWER_LIMIT, udpAnswerLimit);
  // Cut to the answer limit and, as Consul does, measure uncompressed from then on, so the
  // reply stays under 512 bytes even for a middlebox that expands it.
  let measureCompressed = compress;
  if (maxSize === DEFAULT_UDP_SIZE && numAnswers > maxAnswers) {
    measureCompressed = false;
    reply.answers = reply.answers.slice(0, maxAnswers);
    if (index) syncExtra(index, reply);
  }
  // The UDP header takes 8 of the requester's bytes. A single oversized answer is still sent.
  while (reply.answers.length > 1 && replyLength(reply, measureCompressed) > maxSize - 8) {
    reply.authorities = [];
    if (replyLength(reply, measureCompressed) - maxSize > 100) reply.answers = reply.answers.slice(0, bestPrefix(reply, maxSize, index, measureCompressed));
    else reply.answers = reply.answers.slice(0, -1);
    if (index) syncExtra(index, reply);
  }
  return reply.answers.length < numAnswers;
}

function trimTcp(q: Query, reply: Reply, compress: boolean): boolean {
  const cap = q.qtype === 'SRV' ? TCP_MAX_SRV : TCP_MAX_RECORDS;
  if (reply.answers.length > cap) reply.answers = reply.answers.slice(0, cap);
  const index = reply.additionals.length > 0 ? indexOf(reply.additionals) : null;
  const before = reply.answers.length;
  shrinkTo(reply, MAX_TCP_SIZE, index, compress);
  return reply.answers.length < before;
}

/**
 * Fits a successful reply to its transport: over UDP at most `udp_answer_limit` answers
 * without EDNS0 and at most the buffer size; over TCP at most 64 KiB. The TC bit is set
 * only with `enable_truncate`; otherwise the answer is silently shortened, as in Consul.
 */
export function trimReply(q: Query, reply: Reply, opts: { udpAnswerLimit: number; enableTruncate: boolean; disableCompression: boolean }): void {
  const compress = !opts.disableCompression;
  const trimmed = q.transport === 'tcp' ? trimTcp(q, reply, compress) : trimUdp(q, reply, opts.udpAnswerLimit, compress);
  if (trimmed && opts.enableTruncate) reply.truncated = true;
}
