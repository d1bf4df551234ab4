import { describe, expect, it } from 'vitest';
import type { HashPolicy } from '../../state/config-entries/entry-types.js';
import { combineHash, xxh32 } from './endpoint-hash.js';
import { compileHashPolicies, cookieValue, queryParam, type HashInput } from './hash-policy.js';

const input = (over: Partial<HashInput> = {}): HashInput => ({ headers: {}, query: '', sourceIp: '10.1.2.3', ...over });

function compile(policies: HashPolicy[], random?: () => number): (i: HashInput) => ReturnType<NonNullable<ReturnType<typeof compileHashPolicies>>> {
  const fn = compileHashPolicies(policies, { random });
  if (!fn) throw new Error('expected a compiled policy');
  return fn;
}

const SECOND = 1e9;

describe('compileHashPolicies', () => {
  it('is null without policies', () => {
    expect(compileHashPolicies(undefined)).toBeNull();
    expect(compileHashPolicies([])).toBeNull();
  });

  it('hashes a header, whatever the case of its configured name', () => {
    const fn = compile([{ Field: 'header', FieldValue: 'X-User-ID' }]);
    expect(fn(input({ headers: { 'x-user-id': 'alice' } })).hash).toBe(xxh32('alice'));
    expect(fn(input({ headers: { 'x-user-id': 'bob' } })).hash).toBe(xxh32('bob'));
    expect(fn(input()).hash).toBeUndefined();
  });

  it('hashes every value of a repeated header, in any order', () => {
    const fn = compile([{ Field: 'header', FieldValue: 'x-tag' }]);
    const a = fn(input({ headers: { 'x-tag': ['b', 'a'] } })).hash;
    expect(a).toBe(fn(input({ headers: { 'x-tag': ['a', 'b'] } })).hash);
    expect(a).not.toBe(fn(input({ headers: { 'x-tag': ['a'] } })).hash);
  });

  it('hashes a query parameter', () => {
    const fn = compile([{ Field: 'query_parameter', FieldValue: 'tenant' }]);
    expect(fn(input({ query: '?page=2&tenant=acme' })).hash).toBe(xxh32('acme'));
    expect(fn(input({ query: 'tenant=acme&tenant=other' })).hash).toBe(xxh32('acme'));
    expect(fn(input({ query: 'tenants=acme' })).hash).toBeUndefined();
  });

  it('hashes the source IP, IPv4 peers alike on dual-stack listeners', () => {
    const fn = compile([{ SourceIP: true }]);
    expect(fn(input({ sourceIp: '192.0.2.7' })).hash).toBe(xxh32('192.0.2.7'));
    expect(fn(input({ sourceIp: '::ffff:192.0.2.7' })).hash).toBe(xxh32('192.0.2.7'));
    expect(fn(input({ sourceIp: '2001:db8::1' })).hash).toBe(xxh32('2001:db8::1'));
    expect(fn(input({ sourceIp: '' })).hash).toBeUndefined();
  });

  it('combines the values of several policies, in order', () => {
    const fn = compile([
      { Field: 'header', FieldValue: 'x-a' },
      { Field: 'header', FieldValue: 'x-b' },
    ]);
    const both = fn(input({ headers: { 'x-a': '1', 'x-b': '2' } })).hash;
    expect(both).toBe(combineHash(combineHash(undefined, xxh32('1')), xxh32('2')));
    // A policy that finds nothing is left out of the combination.
    expect(fn(input({ headers: { 'x-b': '2' } })).hash).toBe(xxh32('2'));
  });

  it('stops at a terminal policy that yields a hash', () => {
    const fn = compile([
      { Field: 'header', FieldValue: 'x-user', Terminal: true },
      { SourceIP: true },
    ]);
    expect(fn(input({ headers: { 'x-user': 'alice' }, sourceIp: '10.0.0.1' })).hash).toBe(xxh32('alice'));
    expect(fn(input({ headers: { 'x-user': 'alice' }, sourceIp: '10.0.0.2' })).hash).toBe(xxh32('alice'));
    // Without the header the terminal policy yields nothing and evaluation goes on.
    expect(fn(input({ sourceIp: '10.0.0.1' })).hash).toBe(xxh32('10.0.0.1'));
  });

  it('stops at a terminal policy when earlier policies already made a hash', () => {
    const fn = compile([{ Field: 'header', FieldValue: 'x-a' }, { Field: 'header', FieldValue: 'x-b', Terminal: true }, { SourceIP: true }]);
    expect(fn(input({ headers: { 'x-a': '1' } })).hash).toBe(xxh32('1'));
  });

  it('is undefined when no policy finds its value', () => {
    const fn = compile([{ Field: 'header', FieldValue: 'x-a' }, { Field: 'cookie', FieldValue: 'sid' }]);
    expect(fn(input())).toEqual({ hash: undefined });
  });
});

describe('cookie hash policy', () => {
  it('hashes an existing cookie and sets nothing', () => {
    const fn = compile([{ Field: 'cookie', FieldValue: 'sid', CookieConfig: { TTL: 60 * SECOND } }]);
    expect(fn(input({ headers: { cookie: 'a=1; sid=abc123; b=2' } }))).toEqual({ hash: xxh32('abc123') });
    expect(fn(input({ headers: { cookie: 'sid="abc123"' } })).hash).toBe(xxh32('abc123'));
  });

  it('yields nothing for an absent cookie without TTL or Session', () => {
    const fn = compile([{ Field: 'cookie', FieldValue: 'sid' }]);
    expect(fn(input({ headers: { cookie: 'other=1' } }))).toEqual({ hash: undefined });
  });

  it('generates a cookie with Max-Age and Path for an absent cookie with a TTL', () => {
    const fn = compile([{ Field: 'cookie', FieldValue: 'sid', CookieConfig: { TTL: 90.7 * SECOND, Path: '/app' } }], () => 0.5);
    const r = fn(input());
    expect(r.setCookie).toBe('sid="8000000080000000"; Max-Age=90; Path=/app; HttpOnly');
    expect(r.hash).toBe(xxh32('8000000080000000'));
    // The client sends the cookie back: the same hash, so the same instance.
    expect(fn(input({ headers: { cookie: 'sid="8000000080000000"' } })).hash).toBe(r.hash);
    expect(fn(input({ headers: { cookie: 'sid=8000000080000000' } })).hash).toBe(r.hash);
  });

  it('generates a session cookie (no Max-Age) with Session', () => {
    const fn = compile([{ Field: 'cookie', FieldValue: 'sid', CookieConfig: { Session: true } }]);
    const r = fn(input());
    expect(r.setCookie).toMatch(/^sid="[0-9a-f]{16}"; HttpOnly$/);
    expect(r.hash).toBe(xxh32(r.setCookie!.slice(5, 21)));
  });

  it('generates a session cookie for a TTL under a second, as Envoy keeps whole seconds', () => {
    const fn = compile([{ Field: 'cookie', FieldValue: 'sid', CookieConfig: { TTL: 0.5 * SECOND } }]);
    expect(fn(input()).setCookie).toMatch(/^sid="[0-9a-f]{16}"; HttpOnly$/);
  });

  it('derives the cookie from the connection when given, so racing requests agree', () => {
    const fn = compile([{ Field: 'cookie', FieldValue: 'sid', CookieConfig: { TTL: 10 * SECOND } }]);
    const a = fn(input({ connection: '10.0.0.9:51000>10.0.0.1:21000' }));
    const b = fn(input({ connection: '10.0.0.9:51000>10.0.0.1:21000' }));
    const c = fn(input({ connection: '10.0.0.9:51001>10.0.0.1:21000' }));
    expect(a).toEqual(b);
    expect(c.setCookie).not.toBe(a.setCookie);
  });

  it('gives different clients different cookies', () => {
    const fn = compile([{ Field: 'cookie', FieldValue: 'sid', CookieConfig: { Session: true } }]);
    const cookies = new Set(Array.from({ length: 50 }, () => fn(input()).setCookie));
    expect(cookies.size).toBe(50);
  });

  it('a generated cookie ends a terminal cookie policy', () => {
    const fn = compile([{ Field: 'cookie', FieldValue: 'sid', CookieConfig: { TTL: 10 * SECOND }, Terminal: true }, { SourceIP: true }], () => 0);
    expect(fn(input())).toEqual({ hash: xxh32('0000000000000000'), setCookie: 'sid="0000000000000000"; Max-Age=10; HttpOnly' });
  });

  it('makes up at most one cookie per request', () => {
    const fn = compile(
      [
        { Field: 'cookie', FieldValue: 'a', CookieConfig: { Session: true } },
        { Field: 'cookie', FieldValue: 'b', CookieConfig: { Session: true } },
      ],
      () => 0,
    );
    const r = fn(input());
    expect(r.setCookie).toMatch(/^a=/);
    expect(r.hash).toBe(xxh32('0000000000000000'));
  });
});

describe('cookieValue', () => {
  it('finds a cookie among several headers and ignores similar names', () => {
    expect(cookieValue(['x=1', 'sidx=2; sid=3'], 'sid')).toBe('3');
    expect(cookieValue('sidx=2', 'sid')).toBeUndefined();
    expect(cookieValue(undefined, 'sid')).toBeUndefined();
    expect(cookieValue('broken; sid=4', 'sid')).toBe('4');
  });
});

describe('queryParam', () => {
  it('reads the first value, undecoded, and an empty one for a bare name', () => {
    expect(queryParam('a=1&b=x%20y', 'b')).toBe('x%20y');
    expect(queryParam('?flag&a=1', 'flag')).toBe('');
    expect(queryParam('', 'a')).toBeUndefined();
    expect(queryParam('ab=1', 'a')).toBeUndefined();
  });
});
