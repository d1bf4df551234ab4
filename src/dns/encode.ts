/**
 * Reply encoding with name compression. dns-packet (used for decoding, and here for rare
 * record types) writes every name in full; Consul compresses by default, which decides how
 * many records fit an EDNS0 buffer, and encoding is the hot path of every answer.
 */
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { ipToHex } from './ip.js';

const TYPE_CODES: Readonly<Record<string, number>> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, OPT: 41 };
const CLASS_IN = 1;
const MAX_POINTER = 0x3fff;

/** What the encoder needs of a reply. */
export interface Encodable {
  id: number;
  flags: number;
  /** The request's question section as it arrived (echoed byte for byte), or null. */
  question: { raw: Buffer; name: string } | null;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

class Writer {
  buf = Buffer.allocUnsafe(512);
  pos = 0;
  constructor(private readonly names: Map<string, number> | null) {}

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v & 0xffff, this.pos);
    this.pos += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
  }
  bytes(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }

  /** Remembers where a name starts so later names can point at it. */
  remember(name: string, at: number): void {
    if (!this.names || at > MAX_POINTER) return;
    let rest = bare(name).toLowerCase();
    let offset = at;
    while (rest !== '') {
      if (!this.names.has(rest)) this.names.set(rest, offset);
      const dot = rest.indexOf('.');
      if (dot < 0) break;
      offset += Buffer.byteLength(rest.slice(0, dot)) + 1;
      if (offset > MAX_POINTER) break;
      rest = rest.slice(dot + 1);
    }
  }

  /** Writes a name, ending in a pointer to an earlier copy of its longest known suffix when `compress`. */
  name(name: string, compress: boolean): void {
    const text = bare(name);
    if (text === '') return this.u8(0);
    const lower = text.toLowerCase();
    let start = 0;
    while (start < text.length) {
      if (compress && this.names) {
        const at = this.names.get(start === 0 ? lower : lower.slice(start));
        if (at !== undefined) return this.u16(0xc000 | at);
      }
      if (this.names && this.pos <= MAX_POINTER) {
        const suffix = start === 0 ? lower : lower.slice(start);
        if (!this.names.has(suffix)) this.names.set(suffix, this.pos);
      }
      const dot = text.indexOf('.', start);
      const label = text.slice(start, dot < 0 ? text.length : dot);
      const len = Buffer.byteLength(label);
      this.ensure(len + 1);
      this.buf[this.pos++] = len;
      this.pos += this.buf.write(label, this.pos);
      if (dot < 0) break;
      start = dot + 1;
    }
    this.u8(0);
  }
}

const bare = (name: string): string => (name === '.' ? '' : name.endsWith('.') ? name.slice(0, -1) : name);

/** Writes an address's bytes: IPv4 parsed in place (the hot path), IPv6 through its hex form. */
function writeIp(w: Writer, ip: string, v4: boolean): void {
  if (v4) {
    w.ensure(4);
    let octet = 0;
    for (let i = 0; i < ip.length; i++) {
      const c = ip.charCodeAt(i);
      if (c === 46) {
        w.buf[w.pos++] = octet;
        octet = 0;
      } else octet = octet * 10 + (c - 48);
    }
    w.buf[w.pos++] = octet;
    return;
  }
  w.bytes(Buffer.from(ipToHex(ip) ?? '', 'hex'));
}

function txtStrings(data: unknown): Buffer[] {
  const list = Array.isArray(data) ? data : [data];
  return list.map((d) => (Buffer.isBuffer(d) ? d : Buffer.from(String(d))));
}

type Data = Record<string, unknown> & { data?: unknown };

function writeRecord(w: Writer, rr: Answer, compress: boolean): void {
  const r = rr as unknown as Data & { type: string; name: string; ttl?: number; udpPayloadSize?: number; options?: { code: number; data?: Buffer }[] };
  if (r.type === 'OPT') return writeOpt(w, r.udpPayloadSize ?? 512, r.options ?? []);
  const code = TYPE_CODES[r.type];
  if (code === undefined) return writeForeign(w, rr);
  w.name(r.name, compress);
  w.u16(code);
  w.u16(CLASS_IN);
  w.u32(r.ttl ?? 0);
  const lengthAt = w.pos;
  w.u16(0);
  const d = r.data as Data & string;
  switch (r.type) {
    case 'A':
    case 'AAAA':
      writeIp(w, d, r.type === 'A');
      break;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      w.name(d, compress);
      break;
    case 'SRV':
      w.u16(Number(d.priority ?? 0));
      w.u16(Number(d.weight ?? 0));
      w.u16(Number(d.port));
      // RFC 2782: the target is never compressed (but later names may point at it).
      w.name(String(d.target), false);
      break;
    case 'SOA':
      w.name(String(d.mname), compress);
      w.name(String(d.rname), compress);
      for (const k of ['serial', 'refresh', 'retry', 'expire', 'minimum']) w.u32(Number(d[k] ?? 0));
      break;
    case 'TXT':
      for (const s of txtStrings(d)) {
        w.u8(s.length);
        w.bytes(s);
      }
      break;
  }
  w.buf.writeUInt16BE(w.pos - lengthAt - 2, lengthAt);
}

function writeOpt(w: Writer, udpSize: number, options: { code: number; data?: Buffer }[]): void {
  w.u8(0);
  w.u16(TYPE_CODES.OPT);
  w.u16(udpSize);
  w.u32(0);
  const data = options.map((o) => o.data ?? Buffer.alloc(0));
  w.u16(data.reduce((n, d) => n + 4 + d.length, 0));
  options.forEach((o, i) => {
    w.u16(o.code);
    w.u16(data[i].length);
    w.bytes(data[i]);
  });
}

/** A record type this encoder does not know: dns-packet writes it, uncompressed. */
function writeForeign(w: Writer, rr: Answer): void {
  const single = dnsPacket.encode({ type: 'response', id: 0, answers: [rr] });
  w.bytes(single.subarray(12));
}

export function encodeReply(reply: Encodable, compress: boolean): Buffer {
  const w = new Writer(new Map());
  w.u16(reply.id);
  w.u16(reply.flags);
  w.u16(reply.question ? 1 : 0);
  w.u16(reply.answers.length);
  w.u16(reply.authorities.length);
  w.u16(reply.additionals.length);
  if (reply.question) {
    w.remember(reply.question.name, w.pos);
    w.bytes(reply.question.raw);
  }
  for (const list of [reply.answers, reply.authorities, reply.additionals]) for (const rr of list) writeRecord(w, rr, compress);
  return w.buf.subarray(0, w.pos);
}

const nameLength = (name: string): number => {
  const text = bare(name);
  return text === '' ? 1 : Buffer.byteLength(text) + 2;
};

/** A record's size without compression (what Consul counts against 512 bytes). */
export function recordLength(rr: Answer): number {
  const r = rr as unknown as Data & { type: string; name: string };
  const d = r.data as Data & string;
  switch (r.type) {
    case 'A':
      return nameLength(r.name) + 14;
    case 'AAAA':
      return nameLength(r.name) + 26;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return nameLength(r.name) + 10 + nameLength(d);
    case 'SRV':
      return nameLength(r.name) + 16 + nameLength(String(d.target));
    case 'SOA':
      return nameLength(r.name) + 30 + nameLength(String(d.mname)) + nameLength(String(d.rname));
    case 'TXT':
      return nameLength(r.name) + 10 + txtStrings(d).reduce((s, b) => s + 1 + b.length, 0);
    default: {
      const w = new Writer(null);
      writeRecord(w, rr, false);
      return w.pos;
    }
  }
}
