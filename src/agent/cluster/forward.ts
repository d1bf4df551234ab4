import { Agent as HttpAgent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/**
 * Paths a client agent answers itself: its own services, checks, health and maintenance,
 * its config and membership. Every other `/v1/` request goes to a server (Consul's clients
 * do the same over RPC), including `/v1/agent/connect/*`, which needs the servers' CA
 * and intentions.
 */
const LOCAL_PREFIXES = [
  '/v1/agent/self',
  '/v1/agent/members',
  '/v1/agent/metrics',
  '/v1/agent/host',
  '/v1/agent/version',
  '/v1/agent/leave',
  '/v1/agent/join/',
  '/v1/agent/force-leave/',
  '/v1/agent/reload',
  '/v1/agent/maintenance',
  '/v1/agent/services',
  '/v1/agent/service/',
  '/v1/agent/checks',
  '/v1/agent/check/',
  '/v1/agent/health/',
  '/v1/agent/monitor',
  '/v1/agent/token/',
];

export function answeredLocally(path: string): boolean {
  return !path.startsWith('/v1/') || LOCAL_PREFIXES.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p || path.startsWith(`${p}/`)));
}

const SESSION_CREATE = '/v1/session/create';

export interface ForwarderOptions {
  /** The server RPC address (`host:port`) to forward to; null while the agent knows none. */
  target: () => string | null;
  nodeName: string;
  log: Logger;
}

/**
 * Streams one request to a server and its answer back, untouched except where Consul's
 * client agent fills in its own identity: `?near=_agent` and the Node of a session created
 * without one. A blocking query stays open on both legs; a client that hangs up closes the
 * server leg too.
 */
export class Forwarder {
  private readonly agent = new HttpAgent({ keepAlive: true });

  constructor(private readonly opts: ForwarderOptions) {}

  close(): void {
    this.agent.destroy();
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const target = this.opts.target();
    if (!target) return sendText(res, 500, 'No known Consul servers');
    const url = new URL(req.url ?? '/', 'http://agent');
    if (url.searchParams.get('near') === '_agent') url.searchParams.set('near', this.opts.nodeName);
    const path = url.pathname + url.search;
    if (req.method === 'PUT' && url.pathname === SESSION_CREATE) {
      readAll(req)
        .then((buf) => this.send(req, res, target, path, this.withNode(buf)))
        .catch(() => sendText(res, 400, 'Request decode failed'));
      return;
    }
    this.send(req, res, target, path, null);
  }

  private withNode(buf: Buffer): Buffer {
    if (buf.length === 0) return Buffer.from(JSON.stringify({ Node: this.opts.nodeName }));
    try {
      const body = JSON.parse(buf.toString('utf8')) as unknown;
      if (body && typeof body === 'object' && !Array.isArray(body) && !Object.keys(body).some((k) => k.toLowerCase() === 'node')) {
        return Buffer.from(JSON.stringify({ ...body, Node: this.opts.nodeName }));
      }
    } catch {
      // Not JSON: the server answers the decode error.
    }
    return buf;
  }

  private send(req: IncomingMessage, res: ServerResponse, target: string, path: string, body: Buffer | null): void {
    const sep = target.lastIndexOf(':');
    // The server filters event lists by the asking agent's node (events target nodes, services, tags).
    const headers = { ...req.headers, host: target, 'x-weft-agent-node': this.opts.nodeName };
    if (body) {
      headers['content-length'] = String(body.length);
      delete headers['transfer-encoding'];
    }
    const upstream = request(
      { host: target.slice(0, sep).replace(/^\[|\]$/g, ''), port: Number(target.slice(sep + 1)), method: req.method, path, headers, agent: this.agent },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      this.opts.log.debug({ err, target }, 'forwarding to the server failed');
      if (!res.headersSent) sendText(res, 500, `rpc error making call: ${err.code ?? err.message}`);
      else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (body) upstream.end(body);
    else req.pipe(upstream);
  }
}

/** Session bodies are small; anything past this is not one. */
const MAX_SESSION_BODY = 1024 * 1024;

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_SESSION_BODY) return reject(new Error('body too large'));
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
