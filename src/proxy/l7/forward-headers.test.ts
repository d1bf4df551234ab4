import { describe, expect, it } from 'vitest';
import { forwardRequestHeaders, stripResponseHeaders } from './forward-headers.js';

describe('forwarded headers', () => {
  it('drops hop-by-hop headers, those Connection names, and pseudo-headers', () => {
    const out = forwardRequestHeaders({ connection: 'keep-alive, x-secret', 'x-secret': '1', 'keep-alive': 'timeout=5', host: 'a', ':path': '/', 'transfer-encoding': 'chunked', accept: '*/*', 'set-cookie': ['a=1', 'b=2'] });
    expect(out).toEqual({ accept: '*/*', 'set-cookie': ['a=1', 'b=2'] });
  });

  it("keeps gRPC's te: trailers and drops other te values", () => {
    expect(forwardRequestHeaders({ te: 'trailers' })).toEqual({ te: 'trailers' });
    expect(forwardRequestHeaders({ te: 'gzip' })).toEqual({});
  });

  it('cleans responses the same way, in place', () => {
    const h = { 'content-length': '3', connection: 'close, x-hop', 'x-hop': '1', 'transfer-encoding': 'chunked', 'x-a': 'b' };
    expect(stripResponseHeaders(h)).toBe(h);
    expect(h).toEqual({ 'content-length': '3', 'x-a': 'b' });
  });
});
