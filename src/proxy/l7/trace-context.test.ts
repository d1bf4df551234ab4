import { describe, expect, it } from 'vitest';
import type { HeaderBag } from './request-head.js';
import { newSpanId, propagateTrace, requestId } from './trace-context.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const SPAN = /^[0-9a-f]{16}$/;

describe('W3C trace context', () => {
  it('keeps the trace id and flags, replaces the parent id with a new span, and keeps tracestate', () => {
    const h: HeaderBag = { traceparent: `00-${TRACE}-${PARENT}-01`, tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7' };
    const ids = propagateTrace(h);
    expect(ids.traceId).toBe(TRACE);
    expect(ids.spanId).toMatch(SPAN);
    expect(ids.spanId).not.toBe(PARENT);
    expect(h.traceparent).toBe(`00-${TRACE}-${ids.spanId}-01`);
    expect(h.tracestate).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    expect(h['x-b3-traceid']).toBeUndefined();
  });

  it('keeps an unsampled decision', () => {
    const h: HeaderBag = { traceparent: `00-${TRACE}-${PARENT}-00` };
    propagateTrace(h);
    expect(h.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-00$`));
  });

  it('answers a future version with version 00 and the same ids', () => {
    const h: HeaderBag = { traceparent: `cc-${TRACE}-${PARENT}-01-what-the-future-holds` };
    const { spanId } = propagateTrace(h);
    expect(h.traceparent).toBe(`00-${TRACE}-${spanId}-01`);
  });

  it('starts a new trace, dropping tracestate, when traceparent is invalid', () => {
    for (const bad of [`00-${'0'.repeat(32)}-${PARENT}-01`, `00-${TRACE}-${'0'.repeat(16)}-01`, `ff-${TRACE}-${PARENT}-01`, `00-${TRACE.toUpperCase()}-${PARENT}-01`, `00-${TRACE}-${PARENT}-01-extra`, 'garbage']) {
      const h: HeaderBag = { traceparent: bad, tracestate: 'a=b' };
      const ids = propagateTrace(h);
      expect(ids.traceId).not.toBe(TRACE);
      expect(h.traceparent).toBe(`00-${ids.traceId}-${ids.spanId}-01`);
      expect(h.tracestate).toBeUndefined();
    }
  });
});

describe('B3', () => {
  it('multi-header: same trace id, new span id, the caller span becomes the parent, sampling kept', () => {
    const h: HeaderBag = { 'x-b3-traceid': TRACE, 'x-b3-spanid': PARENT, 'x-b3-parentspanid': 'aaaaaaaaaaaaaaaa', 'x-b3-sampled': '0', 'x-b3-flags': '1' };
    const ids = propagateTrace(h);
    expect(ids.traceId).toBe(TRACE);
    expect(h).toMatchObject({ 'x-b3-traceid': TRACE, 'x-b3-spanid': ids.spanId, 'x-b3-parentspanid': PARENT, 'x-b3-sampled': '0', 'x-b3-flags': '1' });
    expect(h.traceparent).toBeUndefined();
  });

  it('accepts a 64-bit trace id', () => {
    const h: HeaderBag = { 'x-b3-traceid': 'a3ce929d0e0e4736', 'x-b3-spanid': PARENT };
    expect(propagateTrace(h).traceId).toBe('a3ce929d0e0e4736');
  });

  it('single header: rewritten with the new span and the caller span as parent', () => {
    const h: HeaderBag = { b3: `${TRACE}-${PARENT}-1-bbbbbbbbbbbbbbbb` };
    const ids = propagateTrace(h);
    expect(ids.traceId).toBe(TRACE);
    expect(h.b3).toBe(`${TRACE}-${ids.spanId}-1-${PARENT}`);
    const bare: HeaderBag = { b3: `${TRACE}-${PARENT}` };
    const bareIds = propagateTrace(bare);
    expect(bare.b3).toBe(`${TRACE}-${bareIds.spanId}`);
  });

  it('updates every format that arrived with one span id, and reports the W3C trace id first', () => {
    const other = 'a'.repeat(32);
    const h: HeaderBag = { traceparent: `00-${TRACE}-${PARENT}-01`, 'x-b3-traceid': other, 'x-b3-spanid': PARENT, b3: `${other}-${PARENT}-1` };
    const ids = propagateTrace(h);
    expect(ids.traceId).toBe(TRACE);
    expect(h.traceparent).toBe(`00-${TRACE}-${ids.spanId}-01`);
    expect(h['x-b3-spanid']).toBe(ids.spanId);
    expect(h.b3).toBe(`${other}-${ids.spanId}-1-${PARENT}`);
  });

  it('ignores B3 headers without valid ids', () => {
    const h: HeaderBag = { 'x-b3-traceid': 'xyz', 'x-b3-spanid': PARENT };
    const ids = propagateTrace(h);
    expect(ids.traceId).not.toBe('xyz');
    expect(h['x-b3-traceid']).toBe(ids.traceId);
  });
});

describe('without trace context', () => {
  it('starts a sampled trace in W3C and B3 multi-headers and adds x-request-id', () => {
    const h: HeaderBag = { 'x-b3-parentspanid': 'cccccccccccccccc' };
    const ids = propagateTrace(h);
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ids.spanId).toMatch(SPAN);
    expect(h).toEqual({
      traceparent: `00-${ids.traceId}-${ids.spanId}-01`,
      'x-b3-traceid': ids.traceId,
      'x-b3-spanid': ids.spanId,
      'x-b3-sampled': '1',
      'x-request-id': h['x-request-id'],
    });
    expect(h['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("honours a caller's sampling-only decision not to sample", () => {
    const h: HeaderBag = { b3: '0' };
    const ids = propagateTrace(h);
    expect(h.traceparent).toBe(`00-${ids.traceId}-${ids.spanId}-00`);
    expect(h['x-b3-sampled']).toBe('0');
    expect(h.b3).toBe('0');
  });

  it('keeps an incoming x-request-id', () => {
    const h: HeaderBag = { 'x-request-id': 'abc-123' };
    propagateTrace(h);
    expect(h['x-request-id']).toBe('abc-123');
  });
});

describe('random ids', () => {
  it('are distinct across many draws, also across pool refills', () => {
    const spans = new Set<string>();
    const uuids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      spans.add(newSpanId());
      uuids.add(requestId());
    }
    expect(spans.size).toBe(2000);
    expect(uuids.size).toBe(2000);
  });
});
