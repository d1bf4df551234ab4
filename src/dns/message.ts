import type { Answer } from 'dns-packet';
import { encodeReply as encode, type Encodable } from './encode.js';

export const Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export type RcodeValue = (typeof Rcode)[keyof typeof Rcode];

const OPCODE_MASK = 0x7800;
const FLAG_AA = 0x0400;
const FLAG_TC = 0x0200;
const FLAG_RD = 0x0100;
const FLAG_RA = 0x0080;
const FLAG_CD = 0x0010;
const OPT_CLIENT_SUBNET = 8;

export type Transport = 'udp' | 'tcp';

/** One question as the router sees it. */
export interface Query {
  id: number;
  /** The request's header flags (opcode, RD, CD are echoed). */
  flags: number;
  /** The question name exactly as asked (echoed back, so 0x20-randomising resolvers work). */
  name: string;
  /** Lower-case with the trailing dot: what the router matches. */
  qname: string;
  /** dns-packet's type name: 'A', 'SRV', 'ANY', 'UNKNOWN_65280', ... */
  qtype: string;
  qclass: string;
  /** The question section's bytes, echoed as they came. */
  rawQuestion: Buffer;
  /** The requester's EDNS0 options, or null without an OPT record. */
  edns: { udpSize: number; clientSubnet: Buffer | null } | null;
  transport: Transport;
  /** The request bytes, forwarded as they are to recursors. */
  raw: Buffer;
}

/** A response under construction. */
export interface Reply {
  id: number;
  flags: number;
  rcode: RcodeValue;
  authoritative: boolean;
  truncated: boolean;
  recursionAvailable: boolean;
  question: { raw: Buffer; name: string } | null;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

export function replyTo(q: Query, rcode: RcodeValue, opts: { authoritative?: boolean; recursionAvailable?: boolean } = {}): Reply {
  return {
    id: q.id,
    flags: q.flags,
    rcode,
    authoritative: opts.authoritative ?? false,
    truncated: false,
    recursionAvailable: opts.recursionAvailable ?? false,
    question: { raw: q.rawQuestion, name: q.name },
    answers: [],
    authorities: [],
    additionals: [],
  };
}

/**
 * Echoes the requester's EDNS0 buffer size, and its client-subnet option with a scope of 0:
 * every answer Weft gives is valid for any client.
 */
export function addEdns(reply: Reply, q: Query): void {
  if (!q.edns) return;
  const options = [];
  if (q.edns.clientSubnet) {
    const data = Buffer.from(q.edns.clientSubnet);
    if (data.length >= 4) data[3] = 0;
    options.push({ code: OPT_CLIENT_SUBNET, data });
  }
  reply.additionals.push({
    type: 'OPT',
    name: '.',
    udpPayloadSize: q.edns.udpSize,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: 0,
    flag_do: false,
    options,
  } as unknown as Answer);
}

function encodable(reply: Reply): Encodable {
  let flags = 0x8000 | (reply.flags & (OPCODE_MASK | FLAG_RD | FLAG_CD)) | reply.rcode;
  if (reply.authoritative) flags |= FLAG_AA;
  if (reply.truncated) flags |= FLAG_TC;
  if (reply.recursionAvailable) flags |= FLAG_RA;
  return { id: reply.id, flags, question: reply.question, answers: reply.answers, authorities: reply.authorities, additionals: reply.additionals };
}

/** The reply on the wire; names compressed unless `dns_config.disable_compression`. */
export function encodeReply(reply: Reply, compress = true): Buffer {
  return encode(encodable(reply), compress);
}

/** A bare header answer (FORMERR, NOTIMP) for a request that cannot be decoded: id and opcode echoed, no question. */
export function headerOnlyReply(request: Buffer, rcode: RcodeValue): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt16BE(request.readUInt16BE(0), 0);
  const flags = request.readUInt16BE(2);
  out.writeUInt16BE(0x8000 | (flags & (OPCODE_MASK | FLAG_RD)) | rcode, 2);
  return out;
}

