import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { encodeReply, recordLength, type Encodable } from './encode.js';
import { addressRecord, cnameRecord, metaTxtRecords, nsRecord, ptrRecord, soaRecord, srvRecord } from './records.js';

const question = (name: string) => {
  const q = dnsPacket.encode({ type: 'query', id: 1, questions: [{ type: 'ANY' as dnsPacket.RecordType, name }] });
  return { raw: q.subarray(12), name };
};

function reply(answers: Answer[], additionals: Answer[] = []): Encodable {
  return { id: 77, flags: 0x8400, question: question('Web.Service.Consul'), answers, authorities: [soaRecord('consul.', { refresh: 1, retry: 2, expire: 3, minTtl: 4 })], additionals };
}

const records: Answer[] = [
  addressRecord('web.service.consul.', '10.0.0.1', 5),
  addressRecord('web.service.consul.', '2001:db8::1', 5),
  srvRecord('web.service.consul.', 'n1.node.dc1.consul.', 8080, 3, 5),
  cnameRecord('web.service.consul.', 'db.example.com', 5),
  ptrRecord('1.0.0.10.in-addr.arpa.', 'n1.node.dc1.consul.'),
  nsRecord('consul.', 'n1.node.dc1.consul.', 0),
  ...metaTxtRecords('n1.node.dc1.consul.', { rack: 'r1', long: 'x'.repeat(300) }, 0),
];

describe('encodeReply', () => {
  it('writes records dns-packet decodes back, with and without compression', () => {
    for (const compress of [true, false]) {
      const wire = encodeReply(reply(records, [addressRecord('n1.node.dc1.consul.', '10.0.0.1', 5)]), compress);
      const back = dnsPacket.decode(wire);
      expect(back.id).toBe(77);
      expect(back.questions![0].name).toBe('Web.Service.Consul');
      expect(back.answers!.map((a) => [a.type, a.name.toLowerCase(), (a as { data: unknown }).data])).toEqual([
        ['A', 'web.service.consul', '10.0.0.1'],
        ['AAAA', 'web.service.consul', '2001:db8::1'],
        ['SRV', 'web.service.consul', { priority: 1, weight: 3, port: 8080, target: 'n1.node.dc1.consul' }],
        ['CNAME', 'web.service.consul', 'db.example.com'],
        ['PTR', '1.0.0.10.in-addr.arpa', 'n1.node.dc1.consul'],
        ['NS', 'consul', 'n1.node.dc1.consul'],
        ['TXT', 'n1.node.dc1.consul', [Buffer.from(`long=${'x'.repeat(250)}`), Buffer.from('x'.repeat(50))]],
        ['TXT', 'n1.node.dc1.consul', [Buffer.from('rack=r1')]],
      ]);
      // Pointers into the question carry the asker's spelling; names are case-insensitive.
      const soa = back.authorities![0] as unknown as { type: string; data: Record<string, unknown> };
      expect([soa.type, String(soa.data.mname).toLowerCase(), String(soa.data.rname).toLowerCase(), soa.data.minimum]).toEqual(['SOA', 'ns.consul', 'hostmaster.consul', 4]);
    }
  });

  it('compresses names into pointers, shorter than dns-packet, and measures the uncompressed size exactly', () => {
    const r = reply(records);
    const compressed = encodeReply(r, true).length;
    const plain = encodeReply(r, false).length;
    expect(compressed).toBeLessThan(plain);
    const withoutQuestion = 12 + r.question!.raw.length;
    const counted = withoutQuestion + [...r.answers, ...r.authorities].reduce((n, a) => n + recordLength(a), 0);
    expect(counted).toBe(plain);
  });
});
