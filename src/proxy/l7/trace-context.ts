/**
 * Trace context propagation at each proxy hop, so a request can be followed across services
 * by any tracer the apps use: W3C Trace Context (traceparent, tracestate) and Zipkin's B3
 * (multi-header and single `b3`). The proxy is one span per hop: it keeps the trace id and
 * sampling decision, and makes its own span the parent of what follows.
 */
import { randomFillSync } from 'node:crypto';
import type { HeaderBag } from './request-head.js';

export interface TraceIds {
  traceId: string;
  /** This hop's span id, now the parent id downstream sees. */
  spanId: string;
}

// Random ids come from one buffer refilled 4 KiB at a time: ~200 requests per system call.
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

function take(bytes: number): number {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const at = offset;
  offset += bytes;
  return at;
}

const ZERO_SPAN = '0000000000000000';

/** `bytes` random bytes as lower-case hex, never all zeros (W3C and B3 reserve that as invalid). */
function randomHex(bytes: number): string {
  for (;;) {
    const at = take(bytes);
    const hex = pool.toString('hex', at, at + bytes);
    if (hex !== ZERO_SPAN && hex !== ZERO_SPAN + ZERO_SPAN) return hex;
  }
}

/** A version 4 UUID (RFC 9562) from the pool, for x-request-id. */
export function requestId(): string {
  const at = take(16);
  pool[at + 6] = (pool[at + 6] & 0x0f) | 0x40;
  pool[at + 8] = (pool[at + 8] & 0x3f) | 0x80;
  const h = pool.toString('hex', at, at + 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const newSpanId = (): string => randomHex(8);
export const newTraceId = (): string => randomHex(16);

// version-traceid-parentid-flags; a future version may append fields after another '-'.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const HEX16 = /^[0-9a-f]{16}$/;
const HEX16_OR_32 = /^[0-9a-f]{16}(?:[0-9a-f]{16})?$/;

const single = (v: string | string[] | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** Rewrites a valid traceparent for this hop and returns its trace id; '' when absent or invalid. */
function w3c(headers: HeaderBag, spanId: string): string {
  const raw = headers.traceparent;
  if (raw === undefined) return '';
  const m = TRACEPARENT.exec(single(raw) ?? '');
  const valid = m && m[1] !== 'ff' && !(m[1] === '00' && m[5]) && !/^0+$/.test(m[2]) && m[3] !== ZERO_SPAN;
  if (!valid) {
    // W3C: a vendor that cannot parse traceparent starts a new trace and may drop tracestate.
    delete headers.traceparent;
    delete headers.tracestate;
    return '';
  }
  headers.traceparent = `00-${m[2]}-${spanId}-${m[4]}`;
  return m[2];
}

/** Rewrites valid B3 headers (multi and single) for this hop and returns their trace id; '' when there are none. */
function b3(headers: HeaderBag, spanId: string): string {
  let traceId = '';
  const tid = single(headers['x-b3-traceid']);
  const sid = single(headers['x-b3-spanid']);
  if (tid && sid && HEX16_OR_32.test(tid) && HEX16.test(sid)) {
    headers['x-b3-parentspanid'] = sid;
    headers['x-b3-spanid'] = spanId;
    traceId = tid;
  }
  const one = single(headers.b3);
  if (one) {
    // {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]; a lone sampling state carries no ids.
    const [t, s, sampling] = one.split('-');
    if (t && s && HEX16_OR_32.test(t) && HEX16.test(s)) {
      headers.b3 = sampling ? `${t}-${spanId}-${sampling}-${s}` : `${t}-${spanId}`;
      traceId ||= t;
    }
  }
  return traceId;
}

/** The sampling decision a caller sent without trace ids (`X-B3-Sampled: 0`, `b3: 0`); sampled unless it says no. */
function sampledHint(headers: HeaderBag): boolean {
  const multi = single(headers['x-b3-sampled']);
  const one = single(headers.b3);
  return !(multi === '0' || multi === 'false' || one === '0');
}

/**
 * Updates `headers` in place for the next hop: an incoming W3C or B3 context keeps its trace
 * id and sampling, with a new span id whose parent is the caller's span (tracestate and B3
 * flags pass untouched). Without any context a new sampled trace starts, sent as traceparent
 * and B3 multi-headers. x-request-id is added when absent, as Envoy does.
 */
export function propagateTrace(headers: HeaderBag): TraceIds {
  const spanId = newSpanId();
  let traceId = w3c(headers, spanId);
  const fromB3 = b3(headers, spanId);
  traceId ||= fromB3;
  if (!traceId) {
    traceId = newTraceId();
    const sampled = sampledHint(headers);
    headers.traceparent = `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
    headers['x-b3-traceid'] = traceId;
    headers['x-b3-spanid'] = spanId;
    headers['x-b3-sampled'] = sampled ? '1' : '0';
    delete headers['x-b3-parentspanid'];
  }
  if (headers['x-request-id'] === undefined) headers['x-request-id'] = requestId();
  return { traceId, spanId };
}
