import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { WeftError, type ErrorCode } from '../lib/errors.js';
import { trustedCas } from '../tls/context.js';

export interface ClientOptions {
  /** `http://host:port`, `https://host:port` or `unix:///path`. */
  address: string;
  token?: string;
  /** Where to read the current token instead, for an agent whose tokens change at runtime. */
  tokenSource?: () => string;
  datacenter?: string;
  stale?: boolean;
  tls?: {
    caFile?: string;
    /** A directory of PEM CA certificates, trusted beside `caFile`. */
    caPath?: string;
    certFile?: string;
    keyFile?: string;
    serverName?: string;
    insecureSkipVerify?: boolean;
    /** Verify the server's chain but not the name in its certificate (agents without verify_server_hostname). */
    skipHostnameCheck?: boolean;
  };
}

export interface QueryMeta {
  index: number;
  knownLeader: boolean;
  lastContact: number;
}

export interface Response<T> {
  status: number;
  body: T;
  meta: QueryMeta;
  headers: IncomingMessage['headers'];
}

export interface CallOptions {
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  /** Send the body as these bytes instead of JSON. */
  rawBody?: Uint8Array | string;
  /** Return the body as bytes instead of parsing JSON. */
  raw?: boolean;
  /** Statuses returned as results instead of thrown (KV's 404 is an answer, not an error). */
  accept?: number[];
  signal?: AbortSignal;
  /** This call's ACL token, instead of the client's (an agent whose token can change at runtime). */
  token?: string;
}

/** An answer that was not 2xx: carries the status and Consul's plain-text reason. */
export class ApiError extends WeftError {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
  ) {
    super(codeFor(statusCode), `Unexpected response code: ${statusCode} (${reason.trim()})`);
  }
}

function codeFor(status: number): ErrorCode {
  if (status === 400) return 'BAD_REQUEST';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'TOO_MANY_REQUESTS';
  return 'INTERNAL';
}

/**
 * The only HTTP client of Weft's API: the CLI, proxies, template runner and tests use it.
 * Keep-alive connections are pooled per client.
 */
export class ApiClient {
  private readonly url: URL;
  private readonly socketPath?: string;
  private readonly agent: HttpAgent;
  private readonly isHttps: boolean;

  constructor(readonly options: ClientOptions) {
    if (options.address.startsWith('unix://')) {
      this.socketPath = options.address.slice('unix://'.length);
      this.url = new URL('http://localhost');
    } else {
      this.url = new URL(/^https?:\/\//.test(options.address) ? options.address : `http://${options.address}`);
    }
    this.isHttps = this.url.protocol === 'https:';
    const tls = options.tls ?? {};
    this.agent = this.isHttps
      ? new HttpsAgent({
          keepAlive: true,
          ca: trustedCas({ caFile: tls.caFile ?? '', caPath: tls.caPath ?? '' }),
          cert: tls.certFile ? readFileSync(tls.certFile) : undefined,
          key: tls.keyFile ? readFileSync(tls.keyFile) : undefined,
          servername: tls.serverName,
          rejectUnauthorized: !tls.insecureSkipVerify,
          ...(tls.skipHostnameCheck ? { checkServerIdentity: () => undefined } : {}),
        })
      : new HttpAgent({ keepAlive: true });
  }

  close(): void {
    this.agent.destroy();
  }

  get<T>(path: string, opts: CallOptions = {}): Promise<Response<T>> {
    return this.call<T>('GET', path, opts);
  }

  put<T>(path: string, opts: CallOptions = {}): Promise<Response<T>> {
    return this.call<T>('PUT', path, opts);
  }

  delete<T>(path: string, opts: CallOptions = {}): Promise<Response<T>> {
    return this.call<T>('DELETE', path, opts);
  }

  post<T>(path: string, opts: CallOptions = {}): Promise<Response<T>> {
    return this.call<T>('POST', path, opts);
  }

  call<T>(method: string, path: string, opts: CallOptions = {}): Promise<Response<T>> {
    const search = new URLSearchParams();
    if (this.options.datacenter) search.set('dc', this.options.datacenter);
    if (this.options.stale) search.set('stale', '');
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v === undefined || v === false) continue;
      if (Array.isArray(v)) for (const item of v) search.append(k, item);
      else search.set(k, v === true ? '' : String(v));
    }
    const qs = search.toString().replace(/=(&|$)/g, '$1');
    const headers: Record<string, string> = {};
    const token = opts.token ?? this.options.tokenSource?.() ?? this.options.token;
    if (token) headers['X-Consul-Token'] = token;
    let payload: Uint8Array | string | undefined;
    if (opts.rawBody !== undefined) payload = opts.rawBody;
    else if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }
    const reqOpts: RequestOptions = {
      method,
      path: path + (qs ? `?${qs}` : ''),
      headers,
      agent: this.agent,
      signal: opts.signal,
      ...(this.socketPath ? { socketPath: this.socketPath } : { hostname: this.url.hostname, port: this.url.port || (this.isHttps ? 443 : 80) }),
    };
    return new Promise((resolve, reject) => {
      const req = (this.isHttps ? httpsRequest : httpRequest)(reqOpts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          const status = res.statusCode ?? 0;
          const meta: QueryMeta = {
            index: Number(res.headers['x-consul-index'] ?? 0),
            knownLeader: res.headers['x-consul-knownleader'] === 'true',
            lastContact: Number(res.headers['x-consul-lastcontact'] ?? 0),
          };
          if ((status < 200 || status > 299) && !opts.accept?.includes(status)) {
            reject(new ApiError(status, buf.toString('utf8')));
            return;
          }
          let body: unknown = buf;
          if (!opts.raw) {
            const text = buf.toString('utf8');
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = text;
            }
          }
          resolve({ status, body: body as T, meta, headers: res.headers });
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.name === 'AbortError') return reject(err);
        const target = this.socketPath ?? this.url.host;
        reject(new WeftError('UNAVAILABLE', `Error connecting to Weft agent at ${target}: ${err.code ?? err.message}`, { cause: err }));
      });
      req.end(payload);
    });
  }
}
