import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryDiscovery } from './memory-discovery.js';
import { DnsServer } from './server.js';
import { instance, node, silentLog, testConfig } from './test-kit.js';

const servers: DnsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(): Promise<number> {
  const d = new MemoryDiscovery();
  for (let i = 1; i <= 5; i++) d.addInstance(instance(node(`n${i}`, `10.0.0.${i}`), 'web'));
  const server = new DnsServer({ config: testConfig(), discovery: d, log: silentLog });
  servers.push(server);
  await server.listen('127.0.0.1', 0);
  return Number(server.addresses().udp[0].split(':')[1]);
}

const question = (id: number, name = 'web.service.consul') => dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] });

/** Sends datagrams and collects replies until `expect` replies came or the wait ends. */
async function udpExchange(port: number, packets: Buffer[], expectReplies: number, waitMs = 2000): Promise<Buffer[]> {
  const socket = createSocket('udp4');
  const replies: Buffer[] = [];
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    socket.on('message', (msg) => {
      replies.push(msg);
      if (replies.length >= expectReplies) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  for (const p of packets) socket.send(p, port, '127.0.0.1');
  await done;
  socket.close();
  return replies;
}

function tcpExchange(port: number, frames: Buffer[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let buf = Buffer.alloc(0);
    const out: Buffer[] = [];
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        out.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
    });
    socket.on('close', () => resolve(out));
    socket.write(Buffer.concat(frames));
    setTimeout(() => socket.end(), 300);
  });
}

const frame = (msg: Buffer) => Buffer.concat([Buffer.from([msg.length >> 8, msg.length & 255]), msg]);

describe('DnsServer', () => {
  it('answers over UDP and TCP on the same port', async () => {
    const port = await start();
    const [udp] = await udpExchange(port, [question(1)], 1);
    expect(dnsPacket.decode(udp).answers).toHaveLength(3);
    const [tcp] = await tcpExchange(port, [frame(question(2))]);
    expect(dnsPacket.decode(tcp).answers).toHaveLength(5);
  });

  it('survives garbage datagrams: runts and responses are dropped, malformed questions get FORMERR or NOTIMP, then a good question is answered', async () => {
    const port = await start();
    const garbage = [
      Buffer.from([0xde, 0xad]),
      Buffer.alloc(0),
      Buffer.from('this is not a dns packet at all, but it is long enough'),
      dnsPacket.encode({ type: 'response', id: 3, questions: [{ type: 'A', name: 'x' }] }),
      Buffer.concat([question(4).subarray(0, 12), Buffer.from([0xc0, 0x0c])]),
      Buffer.concat([question(5).subarray(0, 12), Buffer.alloc(400, 0x3f)]),
    ];
    const replies = await udpExchange(port, [...garbage, question(77)], 4);
    const decoded = replies.map((r) => ({ id: r.readUInt16BE(0), rcode: r.readUInt16BE(2) & 0xf }));
    expect(decoded).toContainEqual({ id: 77, rcode: 0 });
    expect(decoded.filter((d) => d.id !== 77).every((d) => d.rcode === 1 || d.rcode === 4)).toBe(true);
  });

  it('answers label floods and unknown types without falling over', async () => {
    const port = await start();
    const flood = Array.from({ length: 200 }, (_, i) => question(i + 1, Array.from({ length: 120 }, () => 'a').join('.')));
    const unknown = dnsPacket.encode({ type: 'query', id: 500, questions: [{ type: 'UNKNOWN_65280' as dnsPacket.RecordType, name: 'web.service.consul' }] });
    const replies = await udpExchange(port, [...flood, unknown, question(999)], 202, 5000);
    const byId = new Map(replies.map((r) => [r.readUInt16BE(0), dnsPacket.decode(r)]));
    expect(byId.get(999)?.answers).toHaveLength(3);
    expect((byId.get(500) as { rcode?: string } | undefined)?.rcode).toBe('NOERROR');
    expect((byId.get(1) as { rcode?: string } | undefined)?.rcode).toBe('REFUSED');
  });

  it('answers several framed questions on one TCP connection, and closes it on a zero-length frame', async () => {
    const port = await start();
    const replies = await tcpExchange(port, [frame(question(1)), frame(question(2)), Buffer.from([0, 0]), frame(question(3))]);
    expect(replies.map((r) => r.readUInt16BE(0)).sort()).toEqual([1, 2]);
    const [after] = await tcpExchange(port, [frame(question(4))]);
    expect(after.readUInt16BE(0)).toBe(4);
  });
});
