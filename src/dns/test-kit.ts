/**
 * Builders shared by the DNS unit tests: a config with Consul's defaults, catalog
 * entries for MemoryDiscovery, and `ask()`, which sends one encoded question through a
 * router exactly as the server does.
 */
import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import pino from 'pino';
import { serviceTtlLookup, type DnsConfig } from './config.js';
import type { DiscoveryInstance, DiscoveryNode, InstanceHealth } from './discovery.js';
import type { Discovery } from './discovery.js';
import { Recursor } from './recursor.js';
import { Router } from './router.js';
import { decodeQuery } from './wire.js';

export const silentLog = pino({ level: 'silent' });

export function testConfig(overrides: Partial<DnsConfig> & { serviceTtls?: Record<string, string> } = {}): DnsConfig {
  const { serviceTtls, ...rest } = overrides;
  return {
    domain: 'consul.',
    altDomain: null,
    nodeName: 'agent-one',
    nodeTtl: 0,
    serviceTtl: serviceTtlLookup(serviceTtls ?? {}),
    onlyPassing: false,
    udpAnswerLimit: 3,
    aRecordLimit: 0,
    enableTruncate: false,
    disableCompression: false,
    nodeMetaTxt: true,
    soa: { refresh: 3600, retry: 600, expire: 86400, minTtl: 0 },
    recursors: [],
    recursorTimeoutMs: 2000,
    recursorStrategy: 'sequential',
    ...rest,
  };
}

export function testRouter(discovery: Discovery, config: DnsConfig = testConfig()): Router {
  const recursor = new Recursor({ upstreams: config.recursors, timeoutMs: config.recursorTimeoutMs, strategy: config.recursorStrategy, log: silentLog });
  return new Router({ config, discovery, recursor, log: silentLog });
}

export function node(name: string, address: string, meta: Record<string, string> = {}, datacenter = 'dc1'): DiscoveryNode {
  return { name, address, datacenter, meta };
}

export function instance(
  n: DiscoveryNode,
  service: string,
  opts: { port?: number; address?: string; tags?: string[]; health?: InstanceHealth; weights?: { passing: number; warning: number } } = {},
): DiscoveryInstance {
  return {
    node: n,
    service: { name: service, address: opts.address ?? '', port: opts.port ?? 80, tags: opts.tags ?? [], weights: opts.weights ?? { passing: 1, warning: 1 } },
    health: opts.health ?? 'passing',
  };
}

export interface AskOptions {
  transport?: 'udp' | 'tcp';
  /** EDNS0 UDP buffer size; no OPT record when absent. */
  edns?: number;
  id?: number;
}

/** A decoded reply, loosely typed for assertions. */
export interface TestRecord {
  type: string;
  name: string;
  ttl?: number;
  data?: any;
  [key: string]: unknown;
}
export type TestReply = Omit<dnsPacket.DecodedPacket, 'answers' | 'authorities' | 'additionals'> & {
  rcode: string;
  /** Bytes on the wire. */
  wireLength: number;
  answers?: TestRecord[];
  authorities?: TestRecord[];
  additionals?: TestRecord[];
};

export async function ask(router: Router, name: string, type: string, opts: AskOptions = {}): Promise<TestReply> {
  const additionals = opts.edns ? [{ type: 'OPT', name: '.', udpPayloadSize: opts.edns, flags: 0 } as unknown as dnsPacket.Answer] : [];
  const raw = dnsPacket.encode({
    type: 'query',
    id: opts.id ?? 4242,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: type as dnsPacket.RecordType, name, class: 'IN' }],
    additionals,
  });
  const decoded = decodeQuery(raw, opts.transport ?? 'udp');
  if (!('query' in decoded)) throw new Error(`the test question for ${name} was rejected`);
  const wire = await router.handle(decoded.query);
  return { ...(dnsPacket.decode(wire) as unknown as TestReply), wireLength: wire.length };
}

/** The answer records' data, for compact assertions. */
export function answerData(packet: TestReply): unknown[] {
  return (packet.answers ?? []).map((a) => a.data);
}

export interface LocalResolver {
  port: number;
  /** Questions received, in order, with the transport each came over. */
  seen: { name: string; type: string; transport: 'udp' | 'tcp' }[];
  close(): Promise<void>;
}

/**
 * A small authoritative DNS server on 127.0.0.1 (UDP and TCP on one port) for recursor
 * tests. `answer` builds the reply for a question; null means never reply.
 */
export async function startResolver(
  answer: (q: dnsPacket.Question, transport: 'udp' | 'tcp') => Partial<dnsPacket.Packet> | null,
): Promise<LocalResolver> {
  const seen: LocalResolver['seen'] = [];
  const respond = (raw: Buffer, transport: 'udp' | 'tcp'): Buffer | null => {
    const req = dnsPacket.decode(raw);
    const q = req.questions![0];
    seen.push({ name: q.name, type: q.type, transport });
    const out = answer(q, transport);
    if (!out) return null;
    return dnsPacket.encode({ type: 'response', id: req.id, flags: dnsPacket.RECURSION_AVAILABLE, questions: req.questions, ...out });
  };
  const newUdp = () => {
    const socket = createSocket('udp4');
    socket.on('message', (msg, rinfo) => {
      const out = respond(msg, 'udp');
      if (out) socket.send(out, rinfo.port, rinfo.address);
    });
    return socket;
  };
  let udp = newUdp();
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
      const out = respond(buf.subarray(2, 2 + buf.readUInt16BE(0)), 'tcp');
      if (!out) return;
      const len = Buffer.alloc(2);
      len.writeUInt16BE(out.length);
      socket.end(Buffer.concat([len, out]));
    });
  });
  // TCP picks a free port; UDP must get the same one, which another process may hold.
  let port = 0;
  for (let attempt = 0; port === 0; attempt++) {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(0, '127.0.0.1', () => resolve());
    });
    const candidate = (tcp.address() as { port: number }).port;
    const bound = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(candidate, '127.0.0.1', () => resolve(true));
    });
    if (bound) port = candidate;
    else {
      udp.close();
      udp = newUdp();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      if (attempt > 20) throw new Error('no port free for both UDP and TCP');
    }
  }
  return {
    port,
    seen,
    close: async () => {
      udp.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
