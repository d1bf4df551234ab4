import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { WeftError } from '../lib/errors.js';
import type { DnsConfig } from './config.js';
import type { Discovery } from './discovery.js';
import { Recursor } from './recursor.js';
import { Router } from './router.js';
import { decodeQuery } from './wire.js';

/** A UDP payload cannot exceed this; a larger reply goes out as a bare truncated header. */
const MAX_UDP_PAYLOAD = 65507;
const TCP_IDLE_MS = 10_000;
const UDP_BUFFER_BYTES = 4 * 1024 * 1024;

export interface DnsServerOptions {
  config: DnsConfig;
  discovery: Discovery;
  log: Logger;
  /** Runs once the listeners are closed (releases what the discovery holds). */
  onClose?: () => void;
}

/** The DNS interface: UDP and TCP listeners on each client address, sharing one router. */
export class DnsServer {
  readonly router: Router;
  private readonly log: Logger;
  private readonly udp: UdpSocket[] = [];
  private readonly tcp: Server[] = [];
  private readonly connections = new Set<Socket>();
  private readonly onClose: () => void;

  constructor(opts: DnsServerOptions) {
    this.log = opts.log;
    this.onClose = opts.onClose ?? (() => {});
    const recursor = new Recursor({
      upstreams: opts.config.recursors,
      timeoutMs: opts.config.recursorTimeoutMs,
      strategy: opts.config.recursorStrategy,
      log: opts.log,
    });
    this.router = new Router({ config: opts.config, discovery: opts.discovery, recursor, log: opts.log });
  }

  /** Binds UDP and TCP on host:port (port 0 picks one port free for both). */
  async listen(host: string, port: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const udp = await this.bindUdp(host, port);
      try {
        await this.bindTcp(host, udp.address().port);
        return;
      } catch (err) {
        udp.close();
        this.udp.splice(this.udp.indexOf(udp), 1);
        if (port !== 0 || attempt >= 10) throw err;
      }
    }
  }

  /** `host:port` of every listener, UDP first. */
  addresses(): { udp: string[]; tcp: string[] } {
    const fmt = (a: { address: string; port: number }) => (a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);
    return {
      udp: this.udp.map((s) => fmt(s.address())),
      tcp: this.tcp.map((s) => fmt(s.address() as { address: string; port: number })),
    };
  }

  async close(): Promise<void> {
    for (const s of this.udp) s.close();
    this.udp.length = 0;
    for (const c of this.connections) c.destroy();
    await Promise.all(this.tcp.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.tcp.length = 0;
    this.onClose();
  }

  private bindUdp(host: string, port: number): Promise<UdpSocket> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize: UDP_BUFFER_BYTES, sendBufferSize: UDP_BUFFER_BYTES });
      socket.once('error', (err: NodeJS.ErrnoException) => reject(bindError('udp', host, port, err)));
      socket.bind(port, host, () => {
        socket.removeAllListeners('error');
        socket.on('error', (err) => this.log.warn({ err }, 'DNS UDP socket error'));
        socket.on('message', (msg, rinfo) => this.onDatagram(socket, msg, rinfo.address, rinfo.port));
        this.udp.push(socket);
        resolve(socket);
      });
    });
  }

  private onDatagram(socket: UdpSocket, msg: Buffer, address: string, port: number): void {
    const decoded = decodeQuery(msg, 'udp');
    if ('reject' in decoded) {
      if (decoded.reject) socket.send(decoded.reject, port, address);
      return;
    }
    void this.router.handle(decoded.query).then((reply) => {
      try {
        // Asynchronous send failures (a full buffer) surface as the socket's 'error' event.
        socket.send(reply.length > MAX_UDP_PAYLOAD ? truncatedHeader(reply) : reply, port, address);
      } catch {
        // The socket closed while this answer was being built (shutdown): nobody to answer.
      }
    });
  }

  private bindTcp(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.onConnection(socket));
      server.once('error', (err: NodeJS.ErrnoException) => reject(bindError('tcp', host, port, err)));
      server.listen(port, host, () => {
        server.removeAllListeners('error');
        server.on('error', (err) => this.log.warn({ err }, 'DNS TCP listener error'));
        this.tcp.push(server);
        resolve();
      });
    });
  }

  /**
   * DNS over TCP: 2-byte length-prefixed messages, several per connection, answered as they
   * complete. A frame that cannot be a question ends the connection once pending answers are out.
   */
  private onConnection(socket: Socket): void {
    this.connections.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    let buffered = Buffer.alloc(0);
    let pending = 0;
    let closing = false;
    const finishIfDone = () => {
      if (closing && pending === 0) socket.end();
    };
    socket.on('data', (chunk) => {
      if (closing) return;
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) break;
        const msg = Buffer.from(buffered.subarray(2, 2 + len));
        buffered = buffered.subarray(2 + len);
        const decoded = decodeQuery(msg, 'tcp');
        if ('reject' in decoded) {
          if (decoded.reject) writeFrame(socket, decoded.reject);
          closing = true;
          break;
        }
        pending++;
        void this.router.handle(decoded.query).then((reply) => {
          writeFrame(socket, reply);
          pending--;
          finishIfDone();
        });
      }
      finishIfDone();
    });
  }
}

function writeFrame(socket: Socket, reply: Buffer): void {
  if (socket.destroyed) return;
  const msg = reply.length > 0xffff ? truncatedHeader(reply) : reply;
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length, 0);
  socket.write(Buffer.concat([len, msg]));
}

/** The reply's header and question with TC set and every record dropped. */
function truncatedHeader(reply: Buffer): Buffer {
  let offset = 12;
  while (offset < reply.length && reply[offset] !== 0) offset += reply[offset] + 1;
  const end = Math.min(offset + 5, reply.length);
  const out = Buffer.from(reply.subarray(0, end));
  out.writeUInt16BE(out.readUInt16BE(2) | 0x0200, 2);
  out.writeUInt16BE(1, 4);
  out.fill(0, 6, 12);
  return out;
}

function bindError(proto: string, host: string, port: number, err: NodeJS.ErrnoException): WeftError {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const reason = err.code === 'EADDRINUSE' ? 'bind: address already in use' : err.code === 'EACCES' ? 'bind: permission denied' : err.message;
  return new WeftError('UNAVAILABLE', `Error starting DNS server: listen ${proto} ${where}: ${reason}`);
}
