import http, { STATUS_CODES, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { dialErrorText, isTlsError, tlsErrorText } from '../net-errors.js';
import { TailBuffer } from '../output.js';
import type { CheckDefinition, ProbeResult } from '../types.js';
import { critical, deadline, passing, tlsOptions, warning, type ProbeContext } from './context.js';

/** Consul's defaults, kept so applications that special-case Consul's probe keep working. */
const USER_AGENT = 'Consul Health Check';
const ACCEPT = 'text/plain, text/*, */*';
const MAX_REDIRECTS = 10;

/**
 * HTTP/HTTPS check: 2xx passing, 429 warning, anything else (or no response) critical. The output
 * is Consul's `HTTP GET <url>: 200 OK Output: <the body's last OutputMaxSize bytes>`.
 */
export async function probeHttp(def: CheckDefinition, ctx: ProbeContext): Promise<ProbeResult> {
  const target = def.http!;
  const method = def.method || 'GET';
  const op = method[0].toUpperCase() + method.slice(1).toLowerCase();
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return critical(`parse "${target}": invalid URI for request`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return critical(`${op} "${target}": unsupported protocol scheme "${url.protocol.slice(0, -1)}"`);
  }

  const dl = deadline(ctx, def.timeoutMs);
  let headers = withDefaults(def.header ?? {});
  let reqMethod = method;
  let body = def.body ?? '';
  // Errors name the URL of the request that failed, as given by the user for the first one.
  let shown = target;
  try {
    for (let redirects = 0; ; redirects++) {
      let res: IncomingMessage;
      try {
        res = await send(url, reqMethod, headers, body, def, ctx, dl.signal);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const why = dl.timedOut()
          ? 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
          : isTlsError(e)
            ? tlsErrorText(e)
            : e.syscall === 'connect' || e.syscall === 'getaddrinfo' || e.code === 'ECONNREFUSED'
              ? dialErrorText('tcp', `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`, url.hostname, e)
              : e.message === 'socket hang up'
                ? 'EOF'
                : e.message;
        return critical(`${op} "${shown}": ${why}`);
      }
      const location = res.headers.location;
      if (isRedirect(res.statusCode!) && location && !def.disableRedirects) {
        res.resume();
        if (redirects + 1 >= MAX_REDIRECTS) return critical(`${op} "${location}": stopped after ${MAX_REDIRECTS} redirects`);
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          return critical(`${op} "${shown}": failed to parse Location header "${location}"`);
        }
        if (next.host !== url.host) headers = withoutHost(headers);
        url = next;
        shown = next.href;
        // As browsers and Go do: 301/302/303 turn into a GET without a body; 307/308 repeat the request.
        if (res.statusCode! <= 303 && reqMethod !== 'HEAD') {
          reqMethod = 'GET';
          body = '';
        }
        continue;
      }
      const out = new TailBuffer(def.outputMaxSize);
      // A body cut short by the timeout or a reset still leaves the status line to judge, as in Consul.
      await readInto(res, out);
      const code = res.statusCode!;
      const result = `HTTP ${method} ${target}: ${code} ${res.statusMessage || STATUS_CODES[code] || ''} Output: ${out.text()}`;
      if (code >= 200 && code <= 299) return passing(result);
      if (code === 429) return warning(result);
      return critical(result);
    }
  } finally {
    dl.done();
  }
}

function isRedirect(code: number): boolean {
  return code === 301 || code === 302 || code === 303 || code === 307 || code === 308;
}

function withDefaults(header: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = { ...header };
  const has = (name: string) => Object.keys(out).some((k) => k.toLowerCase() === name);
  if (!has('user-agent')) out['User-Agent'] = [USER_AGENT];
  if (!has('accept')) out['Accept'] = [ACCEPT];
  // Consul disables keep-alive so a check never rides a stale pooled connection.
  out['Connection'] = ['close'];
  // Node wants single-valued headers (Host above all) as plain strings.
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0] : v])) as Record<string, string[]>;
}

function withoutHost(header: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(header).filter(([k]) => k.toLowerCase() !== 'host'));
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string[]>,
  body: string,
  def: CheckDefinition,
  ctx: ProbeContext,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const opts = { method, headers, agent: false as const, signal };
    const req =
      url.protocol === 'https:'
        ? https.request(url, { ...opts, ...tlsOptions(def, url.hostname.replace(/^\[|\]$/g, ''), ctx) }, resolve)
        : http.request(url, opts, resolve);
    req.on('error', reject);
    req.end(body === '' ? undefined : body);
  });
}

function readInto(res: IncomingMessage, out: TailBuffer): Promise<void> {
  return new Promise((resolve) => {
    res.on('data', (chunk: Buffer) => out.write(chunk));
    res.on('end', resolve);
    res.on('error', () => resolve());
    res.on('close', resolve);
  });
}
