import * as dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { decodeQuery } from './wire.js';

const query = (overrides: Partial<dnsPacket.Packet> = {}) =>
  dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'web.service.consul' }], ...overrides });

function rejected(raw: Buffer): { rcode: number; id: number } | null {
  const d = decodeQuery(raw, 'udp');
  if (!('reject' in d)) throw new Error('expected a rejection');
  return d.reject ? { rcode: d.reject.readUInt16BE(2) & 0xf, id: d.reject.readUInt16BE(0) } : null;
}

describe('decodeQuery', () => {
  it('decodes a question with its EDNS0 size and client subnet', () => {
    const raw = query({
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, options: [{ code: 'CLIENT_SUBNET', ip: '10.1.2.0', sourcePrefixLength: 24 }] } as unknown as dnsPacket.Answer],
    });
    const d = decodeQuery(raw, 'udp');
    if (!('query' in d)) throw new Error('rejected');
    expect(d.query).toMatchObject({ id: 7, name: 'web.service.consul.', qname: 'web.service.consul.', qtype: 'A', qclass: 'IN' });
    expect(d.query.edns?.udpSize).toBe(1232);
    expect(d.query.edns?.clientSubnet).toBeInstanceOf(Buffer);
  });

  it('drops runts and responses', () => {
    expect(rejected(Buffer.from([1, 2, 3]))).toBeNull();
    expect(rejected(dnsPacket.encode({ type: 'response', id: 1, questions: [{ type: 'A', name: 'x' }] }))).toBeNull();
  });

  it('answers NOTIMP to other opcodes and FORMERR to zero or several questions and undecodable bytes', () => {
    const update = query();
    update.writeUInt16BE(5 << 11, 2);
    expect(rejected(update)).toEqual({ rcode: 4, id: 7 });
    expect(rejected(query({ questions: [] }))).toEqual({ rcode: 1, id: 7 });
    expect(rejected(query({ questions: [{ type: 'A', name: 'a' }, { type: 'A', name: 'b' }] }))).toEqual({ rcode: 1, id: 7 });
    const cut = query().subarray(0, 20);
    expect(rejected(cut)).toEqual({ rcode: 1, id: 7 });
    const loop = Buffer.concat([query().subarray(0, 12), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]);
    expect(rejected(loop)).toEqual({ rcode: 1, id: 7 });
  });

  it('rejects names whose labels are not text it could echo back', () => {
    const raw = Buffer.concat([query().subarray(0, 12), Buffer.from([63]), Buffer.alloc(63, 0xff), Buffer.from([0, 0, 1, 0, 1])]);
    expect(rejected(raw)).toEqual({ rcode: 1, id: 7 });
    const dotInLabel = Buffer.concat([query().subarray(0, 12), Buffer.from([3, 0x61, 0x2e, 0x62, 1, 0x78, 0, 0, 1, 0, 1])]);
    expect(rejected(dotInLabel)).toEqual({ rcode: 1, id: 7 });
  });
});
