import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import type { Logger } from 'pino';
import type { Upstream } from './config.js';
import type { Query, Transport } from './message.js';
import { udpSizeFor } from './truncate.js';

const RCODE_NOERROR = 0;
const RCODE_NXDOMAIN = 3;
const FLAG_TC = 0x0200;
/** Forwarded questions in flight at once; more (a flood) are answered SERVFAIL rather than opening sockets without bound. */
const MAX_IN_FLIGHT = 512;

export interface RecursorOptions {
  upstreams: Upstream[];
  timeoutMs: number;
  strategy: 'sequential' | 'random';
  log: Logger;
}

/**
 * Forwards questions outside the served domains to the configured upstream resolvers.
 * Each exchange uses a fresh random id and accepts only a reply from the upstream it asked.
 */
export class Recursor {
  private inFlight = 0;

  constructor(private readonly opts: RecursorOptions) {}

  get enabled(): boolean {
    return this.opts.upstreams.length > 0;
  }

  private order(): Upstream[] {
    const list = this.opts.upstreams.slice();
    if (this.opts.strategy === 'random') {
      for (let i = list.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [list[i], list[j]] = [list[j], list[i]];
      }
    }
    return list;
  }

  /**
   * The first usable reply (NOERROR or NXDOMAIN) to the client's own request, with the
   * client's id, or null when every upstream failed or timed out. A UDP reply with TC set
   * is retried over TCP and used if it fits the client's UDP size.
   */
  async forward(q: Query): Promise<Buffer | null> {
    if (this.inFlight >= MAX_IN_FLIGHT) return null;
    this.inFlight++;
    try {
      return await this.forwardToUpstreams(q);
    } finally {
      this.inFlight--;
    }
  }

  private async forwardToUpstreams(q: Query): Promise<Buffer | null> {
    for (const upstream of this.order()) {
      try {
        let reply = await exchange(upstream, q.raw, q.transport, this.opts.timeoutMs);
        if (q.transport === 'udp' && reply.readUInt16BE(2) & FLAG_TC) {
          const full = await exchange(upstream, q.raw, 'tcp', this.opts.timeoutMs).catch(() => null);
          if (full && full.length <= udpSizeFor(q)) reply = full;
        }
        const rcode = reply.readUInt16BE(2) & 0xf;
        if (rcode !== RCODE_NOERROR && rcode !== RCODE_NXDOMAIN) {
          this.opts.log.debug({ upstream: `${upstream.host}:${upstream.port}`, rcode }, 'recursor answered with an error, trying the next');
          continue;
        }
        reply.writeUInt16BE(q.id, 0);
        return reply;
      } catch (err) {
        this.opts.log.debug({ upstream: `${upstream.host}:${upstream.port}`, err }, 'recursor failed');
      }
    }
    this.opts.log.warn({ question: q.name }, 'all resolvers failed for question');
    return null;
  }

  /** Answers to a question of our own (address records for a CNAME target), or none. */
  async lookup(name: string, type: 'A' | 'AAAA'): Promise<Answer[]> {
    const raw = dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
    for (const upstream of this.order()) {
      try {
        const reply = dnsPacket.decode(await exchange(upstream, raw, 'udp', this.opts.timeoutMs));
        return (reply.answers ?? []) as Answer[];
      } catch (err) {
        this.opts.log.debug({ upstream: `${upstream.host}:${upstream.port}`, name, err }, 'recursor lookup failed');
      }
    }
    return [];
  }
}

function withId(raw: Buffer, id: number): Buffer {
  const out = Buffer.from(raw);
  out.writeUInt16BE(id, 0);
  return out;
}

/** One request/reply with one upstream; rejects on timeout or a connection error. */
export function exchange(upstream: Upstream, raw: Buffer, transport: Transport, timeoutMs: number): Promise<Buffer> {
  const id = randomInt(0x10000);
  const request = withId(raw, id);
  return transport === 'udp' ? exchangeUdp(upstream, request, id, timeoutMs) : exchangeTcp(upstream, request, id, timeoutMs);
}

function exchangeUdp(upstream: Upstream, request: Buffer, id: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(upstream.host) ? 'udp6' : 'udp4');
    let settled = false;
    const done = (err: Error | null, reply?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => done(new Error(`no reply within ${timeoutMs}ms`)), timeoutMs);
    socket.on('error', (err) => done(err));
    socket.on('message', (msg, rinfo) => {
      if (rinfo.port !== upstream.port || msg.length < 12 || msg.readUInt16BE(0) !== id) return;
      done(null, msg);
    });
    socket.send(request, upstream.port, upstream.host, (err) => {
      if (err) done(err);
    });
  });
}

function exchangeTcp(upstream: Upstream, request: Buffer, id: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: upstream.host, port: upstream.port });
    let buffered = Buffer.alloc(0);
    let settled = false;
    const done = (err: Error | null, reply?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => done(new Error(`no reply within ${timeoutMs}ms`)), timeoutMs);
    socket.on('error', (err) => done(err));
    socket.on('close', () => done(new Error('connection closed before a reply')));
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2) return;
      const len = buffered.readUInt16BE(0);
      if (buffered.length < 2 + len) return;
      const msg = buffered.subarray(2, 2 + len);
      if (msg.length < 12 || msg.readUInt16BE(0) !== id) return done(new Error('reply with a foreign id'));
      done(null, Buffer.from(msg));
    });
    const frame = Buffer.alloc(2 + request.length);
    frame.writeUInt16BE(request.length, 0);
    request.copy(frame, 2);
    socket.write(frame);
  });
}
