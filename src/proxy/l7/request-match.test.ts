import { describe, expect, it } from 'vitest';
import type { RouteHttpMatch } from '../../state/index.js';
import { requestHead, type HeaderBag } from './request-head.js';
import { compileHttpMatch, compilePermissionMatch, fullMatchRegex } from './request-match.js';

const req = (method: string, url: string, headers: HeaderBag = {}) => requestHead(method, url, headers);
const matches = (m: RouteHttpMatch | undefined, method: string, url: string, headers: HeaderBag = {}) => compileHttpMatch(m)(req(method, url, headers));

describe('route matches', () => {
  it('matches every path by prefix / without a match or with an empty one, as Consul renders it', () => {
    expect(matches(undefined, 'GET', '/anything')).toBe(true);
    expect(matches({}, 'DELETE', '/x?y=1')).toBe(true);
    expect(matches({ Methods: ['OPTIONS'] }, 'OPTIONS', '*')).toBe(false);
    expect(matches({ PathPrefix: '/' }, 'OPTIONS', '*')).toBe(false);
  });

  it('PathExact compares the path without the query', () => {
    const m = { PathExact: '/v1/users' };
    expect(matches(m, 'GET', '/v1/users?limit=2')).toBe(true);
    expect(matches(m, 'GET', '/v1/users/')).toBe(false);
    expect(matches(m, 'GET', '/V1/users')).toBe(false);
  });

  it('PathPrefix matches the start of the path', () => {
    const m = { PathPrefix: '/api' };
    expect(matches(m, 'GET', '/api')).toBe(true);
    expect(matches(m, 'GET', '/api/v2')).toBe(true);
    expect(matches(m, 'GET', '/apix')).toBe(true);
    expect(matches(m, 'GET', '/ap')).toBe(false);
    expect(matches(m, 'GET', '/x/api')).toBe(false);
  });

  it('CaseInsensitive folds ASCII case for PathExact and PathPrefix', () => {
    expect(matches({ PathExact: '/Users', CaseInsensitive: true }, 'GET', '/uSERS')).toBe(true);
    expect(matches({ PathExact: '/Users', CaseInsensitive: true }, 'GET', '/uSERSx')).toBe(false);
    expect(matches({ PathPrefix: '/API/', CaseInsensitive: true }, 'GET', '/api/v1')).toBe(true);
    expect(matches({ PathPrefix: '/API/', CaseInsensitive: true }, 'GET', '/apx/v1')).toBe(false);
    expect(matches({ PathPrefix: '/API/' }, 'GET', '/api/v1')).toBe(false);
  });

  it('PathRegex must match the whole path, and is not made case-insensitive (as in Envoy)', () => {
    const m = { PathRegex: '/v[0-9]+/items' };
    expect(matches(m, 'GET', '/v12/items?x')).toBe(true);
    expect(matches(m, 'GET', '/v12/items/3')).toBe(false);
    expect(matches(m, 'GET', '/pre/v1/items')).toBe(false);
    expect(matches({ PathRegex: '/a|/ab' }, 'GET', '/ab')).toBe(true);
    expect(matches({ PathRegex: '/items', CaseInsensitive: true }, 'GET', '/ITEMS')).toBe(false);
  });

  it('accepts RE2 flag groups and named groups', () => {
    expect(fullMatchRegex('(?i)/items').test('/ITEMS')).toBe(true);
    expect(fullMatchRegex('/(?P<id>[0-9]+)').test('/42')).toBe(true);
    expect(() => fullMatchRegex('(?U)a+')).toThrow(SyntaxError);
  });

  it('Methods admits only the listed methods', () => {
    const m = { Methods: ['GET', 'HEAD'] };
    expect(matches(m, 'GET', '/')).toBe(true);
    expect(matches(m, 'head', '/')).toBe(true);
    expect(matches(m, 'POST', '/')).toBe(false);
  });

  describe('headers', () => {
    const one = (h: NonNullable<RouteHttpMatch['Header']>[number], headers: HeaderBag) => matches({ Header: [h] }, 'GET', '/', headers);

    it('Present, Exact, Prefix, Suffix and Regex', () => {
      expect(one({ Name: 'x-debug', Present: true }, { 'x-debug': '' })).toBe(true);
      expect(one({ Name: 'x-debug', Present: true }, {})).toBe(false);
      expect(one({ Name: 'X-Version', Exact: 'v2' }, { 'x-version': 'v2' })).toBe(true);
      expect(one({ Name: 'x-version', Exact: 'v2' }, { 'x-version': 'v22' })).toBe(false);
      expect(one({ Name: 'user-agent', Prefix: 'curl/' }, { 'user-agent': 'curl/8.1' })).toBe(true);
      expect(one({ Name: 'user-agent', Prefix: 'curl/' }, { 'user-agent': 'wget curl/8.1' })).toBe(false);
      expect(one({ Name: 'x-user', Suffix: '@corp' }, { 'x-user': 'ann@corp' })).toBe(true);
      expect(one({ Name: 'x-user', Suffix: '@corp' }, { 'x-user': 'ann@corp.evil' })).toBe(false);
      expect(one({ Name: 'x-tenant', Regex: 't[0-9]+' }, { 'x-tenant': 't42' })).toBe(true);
      expect(one({ Name: 'x-tenant', Regex: 't[0-9]+' }, { 'x-tenant': 'xt42' })).toBe(false);
    });

    it('a missing header fails every condition, inverted or not, except an inverted Present', () => {
      expect(one({ Name: 'x-a', Exact: 'v', Invert: true }, {})).toBe(false);
      expect(one({ Name: 'x-a', Prefix: 'v', Invert: true }, {})).toBe(false);
      expect(one({ Name: 'x-a', Regex: '.*', Invert: true }, {})).toBe(false);
      expect(one({ Name: 'x-a', Present: true, Invert: true }, {})).toBe(true);
      expect(one({ Name: 'x-a', Present: true, Invert: true }, { 'x-a': '1' })).toBe(false);
    });

    it('Invert flips the result for a present header', () => {
      expect(one({ Name: 'x-a', Exact: 'v', Invert: true }, { 'x-a': 'w' })).toBe(true);
      expect(one({ Name: 'x-a', Exact: 'v', Invert: true }, { 'x-a': 'v' })).toBe(false);
      expect(one({ Name: 'x-a', Suffix: 'z', Invert: true }, { 'x-a': 'abc' })).toBe(true);
    });

    it('a repeated header is matched as its values joined with commas', () => {
      expect(one({ Name: 'x-tag', Exact: 'a,b' }, { 'x-tag': ['a', 'b'] })).toBe(true);
      expect(one({ Name: 'x-tag', Exact: 'a' }, { 'x-tag': ['a', 'b'] })).toBe(false);
      expect(one({ Name: 'x-tag', Suffix: ',b' }, { 'x-tag': ['a', 'b'] })).toBe(true);
    });

    it('reads :method and :path from the request line and treats Host and :authority as one', () => {
      expect(one({ Name: ':method', Exact: 'PUT' }, {})).toBe(false);
      expect(matches({ Header: [{ Name: ':method', Exact: 'PUT' }] }, 'PUT', '/')).toBe(true);
      expect(matches({ Header: [{ Name: ':path', Exact: '/a?b=1' }] }, 'GET', '/a?b=1')).toBe(true);
      expect(one({ Name: ':authority', Exact: 'api:80' }, { host: 'api:80' })).toBe(true);
      expect(one({ Name: 'host', Prefix: 'api' }, { ':authority': 'api.internal' })).toBe(true);
    });

    it('skips a rule that names no condition, as Consul does', () => {
      expect(one({ Name: 'x-a' }, {})).toBe(true);
    });
  });

  describe('query parameters', () => {
    const q = (p: NonNullable<RouteHttpMatch['QueryParam']>[number], url: string) => matches({ QueryParam: [p] }, 'GET', url);

    it('Present, Exact and Regex on the first value, not decoded', () => {
      expect(q({ Name: 'debug', Present: true }, '/?debug')).toBe(true);
      expect(q({ Name: 'debug', Present: true }, '/?x=1')).toBe(false);
      expect(q({ Name: 'v', Exact: '2' }, '/?v=2&v=3')).toBe(true);
      expect(q({ Name: 'v', Exact: '3' }, '/?v=2&v=3')).toBe(false);
      expect(q({ Name: 'name', Exact: 'a b' }, '/?name=a%20b')).toBe(false);
      expect(q({ Name: 'name', Exact: 'a%20b' }, '/?name=a%20b')).toBe(true);
      expect(q({ Name: 'id', Regex: '[0-9]+' }, '/?id=123')).toBe(true);
      expect(q({ Name: 'id', Regex: '[0-9]+' }, '/?id=123a')).toBe(false);
      expect(q({ Name: 'id', Regex: '.*' }, '/?other=1')).toBe(false);
    });
  });

  it('requires every condition to hold', () => {
    const m: RouteHttpMatch = { PathPrefix: '/api', Methods: ['POST'], Header: [{ Name: 'x-canary', Exact: '1' }], QueryParam: [{ Name: 'beta', Present: true }] };
    expect(matches(m, 'POST', '/api/x?beta', { 'x-canary': '1' })).toBe(true);
    expect(matches(m, 'GET', '/api/x?beta', { 'x-canary': '1' })).toBe(false);
    expect(matches(m, 'POST', '/web?beta', { 'x-canary': '1' })).toBe(false);
    expect(matches(m, 'POST', '/api/x?beta', { 'x-canary': '0' })).toBe(false);
    expect(matches(m, 'POST', '/api/x', { 'x-canary': '1' })).toBe(false);
  });
});

describe('intention permission matches', () => {
  const perm = compilePermissionMatch({ PathPrefix: '/admin', Methods: ['POST', 'DELETE'], Header: [{ Name: 'x-role', Exact: 'ops', Invert: true }] });

  it('combines path, methods and headers', () => {
    expect(perm(req('POST', '/admin/users', { 'x-role': 'dev' }))).toBe(true);
    expect(perm(req('POST', '/admin/users', { 'x-role': 'ops' }))).toBe(false);
    expect(perm(req('GET', '/admin/users', { 'x-role': 'dev' }))).toBe(false);
    expect(perm(req('POST', '/public', { 'x-role': 'dev' }))).toBe(false);
  });

  it('matches paths case-sensitively, with exact and regex forms', () => {
    expect(compilePermissionMatch({ PathExact: '/health' })(req('GET', '/health?full=1'))).toBe(true);
    expect(compilePermissionMatch({ PathExact: '/health' })(req('GET', '/Health'))).toBe(false);
    expect(compilePermissionMatch({ PathRegex: '/users/[0-9]+' })(req('GET', '/users/7'))).toBe(true);
    expect(compilePermissionMatch({ PathRegex: '/users/[0-9]+' })(req('GET', '/users/7/keys'))).toBe(false);
  });

  it('an empty HTTP block matches every request', () => {
    expect(compilePermissionMatch({})(req('PATCH', '/any'))).toBe(true);
  });
});
