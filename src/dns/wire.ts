import * as dnsPacket from 'dns-packet';
import { Rcode, headerOnlyReply, type Query, type Transport } from './message.js';
import { encodable } from './records.js';

const HEADER_BYTES = 12;
const OPCODE_QUERY = 0;
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;

/** A request is either a question to answer, or rejected with a bare reply (or dropped: reply null). */
export type Decoded = { query: Query } | { reject: Buffer | null };

interface DecodedOpt {
  type: string;
  udpPayloadSize?: number;
  options?: { code: number; data?: Buffer }[];
}

/**
 * Decodes a request the way Consul's DNS library accepts one: responses and runts are
 * dropped, other opcodes get NOTIMP, anything but exactly one question (or undecodable
 * bytes) gets FORMERR. Never throws.
 */
export function decodeQuery(raw: Buffer, transport: Transport): Decoded {
  if (raw.length < HEADER_BYTES) return { reject: null };
  const flags = raw.readUInt16BE(2);
  if (flags & 0x8000) return { reject: null };
  if (((flags >> 11) & 0xf) !== OPCODE_QUERY) return { reject: headerOnlyReply(raw, Rcode.NOTIMP) };
  const qdcount = raw.readUInt16BE(4);
  const ancount = raw.readUInt16BE(6);
  const nscount = raw.readUInt16BE(8);
  const arcount = raw.readUInt16BE(10);
  if (qdcount !== 1 || ancount > 1 || nscount > 1 || arcount > 2) return { reject: headerOnlyReply(raw, Rcode.FORMERR) };
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(raw);
  } catch {
    return { reject: headerOnlyReply(raw, Rcode.FORMERR) };
  }
  const q = packet.questions?.[0];
  if (!q || typeof q.name !== 'string') return { reject: headerOnlyReply(raw, Rcode.FORMERR) };
  const name = q.name === '.' ? '.' : `${q.name}.`;
  const rawQuestion = questionBytes(raw, labelCount(name));
  if (!rawQuestion) return { reject: headerOnlyReply(raw, Rcode.FORMERR) };
  // Labels with bytes that are not UTF-8 decode to text of another length: answers could not point into the question.
  if (!PRINTABLE_ASCII.test(name) && !encodable(name)) return { reject: headerOnlyReply(raw, Rcode.FORMERR) };
  const opt = (packet.additionals ?? []).find((a) => (a as DecodedOpt).type === 'OPT') as DecodedOpt | undefined;
  const subnet = opt?.options?.find((o) => o.code === 8)?.data ?? null;
  return {
    query: {
      id: packet.id ?? 0,
      flags,
      name,
      qname: name.toLowerCase(),
      qtype: q.type,
      qclass: typeof q.class === 'string' ? q.class : 'IN',
      rawQuestion,
      edns: opt ? { udpSize: opt.udpPayloadSize ?? 512, clientSubnet: subnet } : null,
      transport,
      raw,
    },
  };
}

function labelCount(fqdn: string): number {
  let dots = 0;
  for (let i = 0; i < fqdn.length; i++) if (fqdn.charCodeAt(i) === 46) dots++;
  return fqdn === '.' ? 0 : dots;
}

/**
 * The question section's bytes. The reply echoes them and points answer names into them,
 * so the name must be plain labels matching the decoded text: no compression pointer, no
 * dot inside a label.
 */
function questionBytes(raw: Buffer, labels: number): Buffer | null {
  let at = HEADER_BYTES;
  let count = 0;
  while (at < raw.length && raw[at] !== 0) {
    if ((raw[at] & 0xc0) !== 0) return null;
    at += raw[at] + 1;
    count++;
  }
  if (count !== labels) return null;
  const end = at + 5;
  return end <= raw.length ? raw.subarray(HEADER_BYTES, end) : null;
}
