import type { IncomingMessage } from 'node:http';
import { WeftError } from '../lib/errors.js';

/**
 * What a handler sees of a request: method, path parameters, query and a lazily read body.
 * Consul treats a query flag given without a value (`?recurse`) as true.
 */
export class ApiRequest {
  readonly query: URLSearchParams;
  readonly path: string;
  private bodyPromise: Promise<Buffer> | null = null;

  constructor(
    readonly raw: IncomingMessage,
    readonly params: Record<string, string | undefined>,
    url: URL,
    private readonly maxBody: number,
  ) {
    this.query = url.searchParams;
    this.path = url.pathname;
  }

  get method(): string {
    return this.raw.method ?? 'GET';
  }

  has(name: string): boolean {
    return this.query.has(name);
  }

  /** A query flag: present and not "false"/"0". */
  flag(name: string): boolean {
    if (!this.query.has(name)) return false;
    const v = this.query.get(name)!.toLowerCase();
    return v !== 'false' && v !== '0';
  }

  get(name: string): string | undefined {
    return this.query.get(name) ?? undefined;
  }

  all(name: string): string[] {
    return this.query.getAll(name);
  }

  /** An unsigned integer query parameter; `what` names it in the 400 reason. */
  uint(name: string, what = name): number | undefined {
    const v = this.query.get(name);
    if (v === null || v === '') return undefined;
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new WeftError('BAD_REQUEST', `Invalid ${what}: ${v}`);
    return Number(v);
  }

  /** The ACL token: `?token`, then X-Consul-Token, then `Authorization: Bearer`. */
  get token(): string {
    const q = this.query.get('token');
    if (q) return q;
    const h = this.raw.headers['x-consul-token'];
    if (typeof h === 'string' && h) return h;
    const auth = this.raw.headers.authorization;
    if (auth) {
      const [scheme, value] = auth.trim().split(/\s+/, 2);
      if (scheme?.toLowerCase() === 'bearer' && value) return value;
    }
    return '';
  }

  body(limit = this.maxBody): Promise<Buffer> {
    this.bodyPromise ??= readBody(this.raw, limit);
    return this.bodyPromise;
  }

  /** The body as JSON; an empty body is `undefined`. */
  async json<T = unknown>(): Promise<T | undefined> {
    const buf = await this.body();
    if (buf.length === 0) return undefined;
    try {
      return JSON.parse(buf.toString('utf8')) as T;
    } catch (err) {
      throw new WeftError('BAD_REQUEST', `Request decode failed: ${(err as Error).message}`);
    }
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(declared, limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(size, limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function tooLarge(size: number, limit: number): WeftError {
  return new WeftError('PAYLOAD_TOO_LARGE', `Request body(${size} bytes) too large, max size: ${limit} bytes`);
}
