import { Agent as HttpAgent, request, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders, type RequestOptions, type ServerResponse } from 'node:http';
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
/** Bodies up to this size are kept so the request can go to another server; larger ones stream once. */
const MAX_REPLAY_BODY = 64 * 1024 * 1024;
/** A server that just failed is tried last for this long. */
const DOWN_MS = 3000;

export interface ForwarderOptions {
  /** Server RPC addresses (`host:port`) to forward to, preferred first; empty while the agent knows none. */
  targets: () => string[];
  nodeName: string;
  log: Logger;
  /** How to reach a server (TLS when the agent verifies outgoing connections); plain HTTP when absent. */
  transport?: { request(options: RequestOptions, onResponse: (res: IncomingMessage) => void): ClientRequest };
  /** The agent's default token, sent for requests that carry none, as Consul's client agent does. */
  defaultToken?: () => string;
}

/**
 * Streams one request to a server and its answer back, untouched except where Consul's
 * client agent fills in its own identity: `?near=_agent` and the Node of a session created
 * without one. A blocking query stays open on both legs; a client that hangs up closes the
 * server leg too.
 *
 * When a server cannot be reached, or goes away before it answers, the request goes to the
 * next server: reads (blocking queries included) always, writes only when the server was
 * never reached, so no write is applied twice. A server that failed is tried last for a while.
 */
export class Forwarder {
  private readonly agent = new HttpAgent({ keepAlive: true });
  private readonly downUntil = new Map<string, number>();

  constructor(private readonly opts: ForwarderOptions) {}

  close(): void {
    this.agent.destroy();
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const targets = this.ordered(this.opts.targets());
    if (targets.length === 0) return sendText(res, 500, 'No known Consul servers');
    const url = new URL(req.url ?? '/', 'http://agent');
    if (url.searchParams.get('near') === '_agent') url.searchParams.set('near', this.opts.nodeName);
    const path = url.pathname + url.search;
    const method = req.method ?? 'GET';
    if (method === 'PUT' && url.pathname === SESSION_CREATE) {
      readAll(req, MAX_SESSION_BODY)
        .then((buf) => this.send(req, res, targets, 0, path, this.withNode(buf)))
        .catch(() => sendText(res, 400, 'Request decode failed'));
      return;
    }
    const length = Number(req.headers['content-length'] ?? (req.headers['transfer-encoding'] ? NaN : 0));
    if (method === 'GET' || method === 'HEAD' || length === 0) {
      req.resume();
      return this.send(req, res, targets, 0, path, Buffer.alloc(0));
    }
    if (length <= MAX_REPLAY_BODY) {
      readAll(req, MAX_REPLAY_BODY)
        .then((buf) => this.send(req, res, targets, 0, path, buf))
        .catch(() => sendText(res, 413, 'Request body too large'));
      return;
    }
    this.send(req, res, targets, 0, path, null);
  }

  /** Servers not known to be down first, in the order given. */
  private ordered(targets: string[]): string[] {
    const now = Date.now();
    const up = targets.filter((t) => (this.downUntil.get(t) ?? 0) <= now);
    return [...up, ...targets.filter((t) => !up.includes(t))];
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

  /** `body` null: stream the request body (too large to keep), so no second attempt. */
  private send(req: IncomingMessage, res: ServerResponse, targets: string[], attempt: number, path: string, body: Buffer | null): void {
    const target = targets[attempt];
    const sep = target.lastIndexOf(':');
    // The server filters event lists by the asking agent's node (events target nodes, services, tags).
    const headers: OutgoingHttpHeaders = { ...req.headers, host: target, 'x-weft-agent-node': this.opts.nodeName };
    const fallbackToken = this.opts.defaultToken?.();
    if (fallbackToken && !carriesToken(req, path)) headers['x-consul-token'] = fallbackToken;
    if (body) {
      headers['content-length'] = String(body.length);
      delete headers['transfer-encoding'];
    }
    let answered = false;
    const options: RequestOptions = { host: target.slice(0, sep).replace(/^\[|\]$/g, ''), port: Number(target.slice(sep + 1)), method: req.method, path, headers };
    const upstream = (this.opts.transport ? this.opts.transport.request.bind(this.opts.transport) : (o: RequestOptions, cb: (r: IncomingMessage) => void) => request({ ...o, agent: this.agent }, cb))(
      options,
      (up) => {
        answered = true;
        this.downUntil.delete(target);
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (res.destroyed) return;
      if (answered || res.headersSent) return void res.destroy();
      this.downUntil.set(target, Date.now() + DOWN_MS);
      const read = req.method === 'GET' || req.method === 'HEAD';
      if (body && attempt + 1 < targets.length && (read || err.code === 'ECONNREFUSED')) {
        this.opts.log.debug({ err: err.code ?? err.message, target, next: targets[attempt + 1] }, 'server failed; retrying on another');
        return this.send(req, res, targets, attempt + 1, path, body);
      }
      this.opts.log.debug({ err, target }, 'forwarding to the server failed');
      sendText(res, 500, `rpc error making call: ${err.code ?? err.message}`);
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

function readAll(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) return reject(new Error('body too large'));
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

/** Does the request name its own token (header, bearer or `?token`)? */
function carriesToken(req: IncomingMessage, path: string): boolean {
  if (req.headers['x-consul-token']) return true;
  if (/^\s*bearer\s+\S/i.test(req.headers.authorization ?? '')) return true;
  return new URL(path, 'http://agent').searchParams.get('token') ? true : false;
}
