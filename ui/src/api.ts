/**
 * The UI's only HTTP client. It speaks Consul's HTTP API to the agent that served the page
 * (same origin), adds the datacenter and the token, and turns failures into ApiErrors that
 * say in plain words what went wrong.
 */

export interface Answer<T> {
  status: number;
  body: T;
  /** X-Consul-Index, 0 when the answer has none. */
  index: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON-encoded unless it is already a string (KV values are sent as typed). */
  body?: unknown;
  signal?: AbortSignal;
  /** Blocking query: wait for a change past this index. */
  index?: number;
  wait?: string;
  /** Answer 404 as `{ status: 404, body: null }` instead of throwing (KV keys, a node that left). */
  allow404?: boolean;
}

export class ApiError extends Error {
  constructor(
    /** 0 when the agent could not be reached at all. */
    readonly status: number,
    readonly detail: string,
    readonly path: string,
  ) {
    super(plainWords(status, detail, path));
    this.name = 'ApiError';
  }
}

const session = {
  datacenter: '',
  /** The ACL token seam: once the agent has ACLs, a token field sets this and every request carries it. */
  token: readStoredToken(),
};

function readStoredToken(): string {
  try {
    return localStorage.getItem('weft:token') ?? '';
  } catch {
    return '';
  }
}

/** The token the UI sends, '' for none (the agent's default token, then anonymous, decides). */
export function currentToken(): string {
  return session.token;
}

const deniedListeners = new Set<(path: string) => void>();

/** Called with the path of every request the agent refused with 403 (the login screen listens). */
export function onDenied(listener: (path: string) => void): () => void {
  deniedListeners.add(listener);
  return () => deniedListeners.delete(listener);
}

export function setDatacenter(dc: string): void {
  session.datacenter = dc;
}

export function setToken(token: string): void {
  session.token = token;
  try {
    if (token) localStorage.setItem('weft:token', token);
    else localStorage.removeItem('weft:token');
  } catch {
    // Private windows may refuse storage; the token then lasts for this page only.
  }
}

/** A path under /v1/ with each segment of `name` encoded ("a/b c" → "a/b%20c"), for KV keys and names. */
export function encodePath(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

function url(path: string, opts: RequestOptions): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    if (v === undefined || v === false) continue;
    params.set(k, v === true ? '' : String(v));
  }
  if (session.datacenter) params.set('dc', session.datacenter);
  if (opts.index) {
    params.set('index', String(opts.index));
    params.set('wait', opts.wait ?? '5m');
  }
  // `?keys` and `?recurse` are flags: URLSearchParams would write `keys=`, which Consul accepts too.
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function request<T>(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, opts: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (session.token) headers['X-Consul-Token'] = session.token;
  let body: string | undefined;
  if (opts.body !== undefined) body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  let res: Response;
  try {
    res = await fetch(url(path, opts), { method, headers, body, signal: opts.signal, cache: 'no-store' });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new ApiError(0, String((err as Error)?.message ?? err), path);
  }
  const index = Number(res.headers.get('X-Consul-Index') ?? 0) || 0;
  const text = await res.text();
  if (res.status === 404 && opts.allow404 && !isMissingEndpoint(text)) return { status: 404, body: null as T, index };
  if (res.status === 403) for (const l of deniedListeners) l(path);
  if (!res.ok) throw new ApiError(res.status, text.trim(), path);
  let parsed: unknown = text;
  if ((res.headers.get('Content-Type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: res.status, body: parsed as T, index };
}

export const get = <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts);
export const put = <T>(path: string, opts?: RequestOptions) => request<T>('PUT', path, opts);
export const del = <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts);

/** The router's answer for a path it has no route for: the agent does not offer that API (yet). */
function isMissingEndpoint(text: string): boolean {
  return text.trim() === '404 page not found';
}

function plainWords(status: number, detail: string, path: string): string {
  const said = detail ? ` The agent said: “${detail}”` : '';
  switch (true) {
    case status === 0:
      return `Can't reach the Weft agent at ${location.host}. It may be stopped or restarting.`;
    case status === 400:
      return `The agent refused the request as invalid.${said}`;
    case status === 401 || status === 403:
      return `Permission denied: the token in use does not allow this.${said}`;
    case status === 404 && isMissingEndpoint(detail):
      return `This agent does not offer ${path} yet.`;
    case status === 404:
      return `Not found.${said}`;
    case status === 405:
      return `This agent does not accept that action on ${path}.`;
    case status === 409:
      return `Conflict: someone else changed this at the same time.${said}`;
    case status === 413:
      return `Too large for the agent to accept.${said}`;
    case status === 429:
      return 'The agent is busy right now (too many requests). Try again in a moment.';
    case status >= 500:
      return `The agent ran into a problem.${said}`;
    default:
      return `The agent answered ${status}.${said}`;
  }
}
