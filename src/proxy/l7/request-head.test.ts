import { describe, expect, it } from 'vitest';
import { normalizePath, queryParam, requestHead } from './request-head.js';

describe('requestHead', () => {
  it('splits the request target into path and raw query and upper-cases the method', () => {
    const headers = { host: 'api' };
    expect(requestHead('get', '/a/b?x=1&y=%20', headers)).toEqual({ method: 'GET', path: '/a/b', query: 'x=1&y=%20', headers });
    expect(requestHead('POST', '/a', {})).toMatchObject({ path: '/a', query: '' });
    expect(requestHead('GET', '/a?', {})).toMatchObject({ path: '/a', query: '' });
  });

  it('drops a fragment and the scheme and authority of an absolute-form target', () => {
    expect(requestHead('GET', '/a?q#frag', {})).toMatchObject({ path: '/a', query: 'q' });
    expect(requestHead('GET', 'http://api.internal:8080/v1/x?y=2', {})).toMatchObject({ path: '/v1/x', query: 'y=2' });
    expect(requestHead('GET', 'http://api.internal', {})).toMatchObject({ path: '/', query: '' });
    expect(requestHead('OPTIONS', '*', {})).toMatchObject({ path: '*', query: '' });
  });

  it('keeps the path as received unless asked to normalize it', () => {
    expect(requestHead('GET', '/api/../admin?a=1', {}).path).toBe('/api/../admin');
    expect(requestHead('GET', '/api/../admin?a=1', {}, { normalize: true })).toMatchObject({ path: '/admin', query: 'a=1' });
  });
});

describe('normalizePath', () => {
  it('resolves dot segments as RFC 3986 says', () => {
    expect(normalizePath('/a/b/../c')).toBe('/a/c');
    expect(normalizePath('/a/./b/.')).toBe('/a/b/');
    expect(normalizePath('/a/..')).toBe('/');
    expect(normalizePath('/../../etc/passwd')).toBe('/etc/passwd');
    expect(normalizePath('/a/.hidden/..x')).toBe('/a/.hidden/..x');
  });

  it('decodes escaped unreserved characters, so encoded dots resolve too, and upper-cases other escapes', () => {
    expect(normalizePath('/%61dmin')).toBe('/admin');
    expect(normalizePath('/api/%2e%2E/admin')).toBe('/admin');
    expect(normalizePath('/a%2fb%3a')).toBe('/a%2Fb%3A');
    expect(normalizePath('/100%')).toBe('/100%');
    expect(normalizePath('/%zz')).toBe('/%zz');
  });

  it('turns backslashes into slashes and keeps repeated slashes', () => {
    expect(normalizePath('/a\\..\\admin')).toBe('/admin');
    expect(normalizePath('/a//b')).toBe('/a//b');
  });

  it('returns a path with nothing to normalize unchanged', () => {
    expect(normalizePath('/plain/path-1_2~3')).toBe('/plain/path-1_2~3');
    expect(normalizePath('*')).toBe('*');
  });
});

describe('queryParam', () => {
  it('returns the first raw value of a parameter', () => {
    expect(queryParam('a=1&b=2&a=3', 'a')).toBe('1');
    expect(queryParam('a=1&b=2', 'b')).toBe('2');
    expect(queryParam('x=a%20b', 'x')).toBe('a%20b');
    expect(queryParam('x=a=b', 'x')).toBe('a=b');
  });

  it('gives an empty value for a bare name and undefined for an absent one', () => {
    expect(queryParam('debug&a=1', 'debug')).toBe('');
    expect(queryParam('debug=', 'debug')).toBe('');
    expect(queryParam('a=1', 'debug')).toBeUndefined();
    expect(queryParam('', 'a')).toBeUndefined();
    expect(queryParam('ab=1&&b=2', 'a')).toBeUndefined();
    expect(queryParam('ab=1&a', 'a')).toBe('');
  });
});
