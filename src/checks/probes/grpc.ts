import type { ClientHttp2Session, IncomingHttpHeaders } from 'node:http2';
import { splitHostPort } from '../address.js';
import { dialErrorText, isTlsError, tlsErrorText } from '../net-errors.js';
import type { CheckDefinition, ProbeResult } from '../types.js';
import { critical, deadline, passing, type Deadline, type ProbeContext } from './context.js';
import { GRPC_CODES, HEALTH_CHECK_PATH, SERVING_STATUS, decodeHealthCheckResponse, encodeHealthCheckRequest } from './grpc-health.js';
import { closeH2Session, openH2Session } from './h2-session.js';

/**
 * gRPC check: calls grpc.health.v1.Health/Check on "host:port[/service]" and is passing only when
 * the answer is SERVING. Errors read as Go's gRPC client prints them ("rpc error: code = ... desc = ...").
 */
export async function probeGrpc(def: CheckDefinition, ctx: ProbeContext): Promise<ProbeResult> {
  const target = def.grpc!;
  const slash = target.indexOf('/');
  const server = slash < 0 ? target : target.slice(0, slash);
  const service = slash < 0 ? '' : target.slice(slash + 1);
  const hp = splitHostPort(server);
  const rpcError = (code: string, desc: string) => critical(`rpc error: code = ${code} desc = ${desc}`);
  if ('error' in hp) return rpcError('Unavailable', `connection error: desc = "transport: Error while dialing: dial tcp ${hp.error}"`);

  const dl = deadline(ctx, def.timeoutMs);
  let session: ClientHttp2Session | undefined;
  try {
    try {
      session = await openH2Session(hp.host, hp.port, def.grpcUseTls === true, def, ctx, dl);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (dl.timedOut()) return rpcError('DeadlineExceeded', 'context deadline exceeded');
      const why = isTlsError(e) ? `authentication handshake failed: ${tlsErrorText(e)}` : `Error while dialing: ${dialErrorText('tcp', server, hp.host, e)}`;
      return rpcError('Unavailable', `connection error: desc = "transport: ${why}"`);
    }
    const reply = await call(session, service, dl);
    if ('error' in reply) return dl.timedOut() ? rpcError('DeadlineExceeded', 'context deadline exceeded') : rpcError('Unavailable', reply.error);
    const code = Number(reply.grpcStatus ?? 2);
    if (code !== 0) return rpcError(GRPC_CODES[code] ?? `Code(${code})`, reply.grpcMessage);
    let status: number;
    try {
      status = decodeHealthCheckResponse(reply.body);
    } catch (err) {
      return rpcError('Internal', (err as Error).message);
    }
    if (status !== 1) return critical(`gRPC ${target} serving status: ${SERVING_STATUS[status] ?? String(status)}`);
    return passing(`gRPC check ${target}: success`);
  } finally {
    if (session) closeH2Session(session);
    dl.done();
  }
}

interface Reply {
  grpcStatus?: string;
  grpcMessage: string;
  body: Buffer;
}

/** One unary call; grpc-status comes in the trailers, or in the headers of a "trailers-only" reply. */
function call(session: ClientHttp2Session, service: string, dl: Deadline): Promise<Reply | { error: string }> {
  return new Promise((resolve) => {
    const stream = session.request({
      ':method': 'POST',
      ':path': HEALTH_CHECK_PATH,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    const chunks: Buffer[] = [];
    let meta: IncomingHttpHeaders = {};
    let httpStatus = 0;
    const cancel = dl.onAbort(() => {
      stream.close();
      resolve({ error: 'context deadline exceeded' });
    });
    stream.on('response', (headers) => {
      httpStatus = Number(headers[':status']);
      meta = { ...meta, ...headers };
    });
    stream.on('trailers', (trailers) => {
      meta = { ...meta, ...trailers };
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (err) => {
      cancel();
      resolve({ error: `connection error: desc = "transport: ${err.message}"` });
    });
    stream.on('close', () => {
      cancel();
      const grpcStatus = meta['grpc-status'] as string | undefined;
      const empty = Buffer.alloc(0);
      if (httpStatus === 0) resolve({ error: 'connection error: desc = "transport: the connection closed before a response arrived"' });
      else if (httpStatus !== 200) resolve({ grpcStatus: String(httpStatusCode(httpStatus)), grpcMessage: `unexpected HTTP status code received from server: ${httpStatus}`, body: empty });
      else if (grpcStatus === undefined) resolve({ grpcStatus: '13', grpcMessage: 'server closed the stream without sending trailers', body: empty });
      else resolve({ grpcStatus, grpcMessage: percentDecode(String(meta['grpc-message'] ?? '')), body: Buffer.concat(chunks) });
    });
    stream.end(encodeHealthCheckRequest(service));
  });
}

/** The gRPC code a client infers from a non-200 HTTP status (gRPC's http-grpc-status-mapping). */
function httpStatusCode(status: number): number {
  if (status === 400) return 13;
  if (status === 401) return 16;
  if (status === 403) return 7;
  if (status === 404) return 12;
  if (status === 429 || status === 502 || status === 503 || status === 504) return 14;
  return 2;
}

function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
