import { describe, expect, it } from 'vitest';
import type { Intention, IntentionPermission } from '../../api/connect.js';
import type { SnapshotIntentions } from '../../proxycfg/wire.js';
import { authorizeRequest } from './l7-authorize.js';
import { requestHead } from './request-head.js';

function ixn(source: string, destination: string, rule: { Action?: 'allow' | 'deny'; Permissions?: IntentionPermission[] }): Intention {
  return { SourceNS: 'default', SourceName: source, DestinationNS: 'default', DestinationName: destination, SourceType: 'consul', Meta: null, Precedence: 9, CreateIndex: 1, ModifyIndex: 1, ...rule };
}

const table = (matches: Intention[], defaultAllow = false): SnapshotIntentions => ({
  Matches: matches,
  DefaultAllow: defaultAllow,
  DefaultReason: 'Default behavior configured by ACLs',
});

const req = (method: string, url: string, headers: Record<string, string> = {}) => requestHead(method, url, headers);

describe('per-request authorization', () => {
  it('applies the default when no intention fits the caller', () => {
    const t = table([ixn('billing', 'api', { Action: 'allow' })]);
    expect(authorizeRequest('web', 'api', t, req('GET', '/'))).toEqual({ allowed: false, reason: 'Default behavior configured by ACLs' });
    expect(authorizeRequest('web', 'api', table([], true), req('GET', '/'))).toEqual({ allowed: true, reason: 'Default behavior configured by ACLs' });
  });

  it('lets an L4 intention decide every request alike', () => {
    expect(authorizeRequest('web', 'api', table([ixn('web', 'api', { Action: 'allow' })]), req('DELETE', '/admin'))).toEqual({ allowed: true, reason: 'Matched L4 intention: web => api (allow)' });
    expect(authorizeRequest('web', 'api', table([ixn('*', 'api', { Action: 'deny' })], true), req('GET', '/'))).toEqual({ allowed: false, reason: 'Matched L4 intention: * => api (deny)' });
    expect(authorizeRequest('web', 'api', table([ixn('web', '*', { Action: 'allow' })]), req('GET', '/')).allowed).toBe(true);
  });

  it('lets the first matching permission of an L7 intention decide', () => {
    const t = table([
      ixn('web', 'api', {
        Permissions: [
          { Action: 'deny', HTTP: { PathPrefix: '/admin' } },
          { Action: 'allow', HTTP: { Methods: ['GET', 'HEAD'] } },
          { Action: 'allow', HTTP: { PathExact: '/orders', Methods: ['POST'], Header: [{ Name: 'x-role', Exact: 'clerk' }] } },
        ],
      }),
    ]);
    expect(authorizeRequest('web', 'api', t, req('GET', '/admin/users'))).toEqual({ allowed: false, reason: 'Matched L7 intention: web => api, permission 1 (deny)' });
    expect(authorizeRequest('web', 'api', t, req('GET', '/orders?page=2'))).toEqual({ allowed: true, reason: 'Matched L7 intention: web => api, permission 2 (allow)' });
    expect(authorizeRequest('web', 'api', t, req('POST', '/orders', { 'x-role': 'clerk' }))).toEqual({ allowed: true, reason: 'Matched L7 intention: web => api, permission 3 (allow)' });
    expect(authorizeRequest('web', 'api', t, req('POST', '/orders', { 'x-role': 'guest' })).allowed).toBe(false);
  });

  it('falls back to the default policy when no permission matches', () => {
    const perms: IntentionPermission[] = [{ Action: 'allow', HTTP: { PathPrefix: '/public' } }];
    expect(authorizeRequest('web', 'api', table([ixn('web', 'api', { Permissions: perms })], false), req('GET', '/private'))).toEqual({
      allowed: false,
      reason: 'Matched L7 intention: web => api, but no permission matches the request; Default behavior configured by ACLs',
    });
    const deny: IntentionPermission[] = [{ Action: 'deny', HTTP: { PathPrefix: '/admin' } }];
    expect(authorizeRequest('web', 'api', table([ixn('web', 'api', { Permissions: deny })], true), req('GET', '/shop')).allowed).toBe(true);
  });

  it('does not fall through to a lower-precedence intention for the same caller', () => {
    const t = table([ixn('web', 'api', { Permissions: [{ Action: 'allow', HTTP: { Methods: ['GET'] } }] }), ixn('*', 'api', { Action: 'allow' })]);
    expect(authorizeRequest('web', 'api', t, req('POST', '/')).allowed).toBe(false);
    expect(authorizeRequest('web', 'api', t, req('GET', '/')).allowed).toBe(true);
    expect(authorizeRequest('billing', 'api', t, req('POST', '/'))).toEqual({ allowed: true, reason: 'Matched L4 intention: * => api (allow)' });
  });

  it('treats a permission without HTTP rules as matching every request', () => {
    const t = table([ixn('web', 'api', { Permissions: [{ Action: 'deny', HTTP: { PathPrefix: '/x' } }, { Action: 'allow' }] })]);
    expect(authorizeRequest('web', 'api', t, req('PATCH', '/anything')).allowed).toBe(true);
  });

  it('evaluates inverted header rules as Envoy does', () => {
    const t = table([ixn('web', 'api', { Permissions: [{ Action: 'allow', HTTP: { Header: [{ Name: 'x-debug', Present: true, Invert: true }] } }] })]);
    expect(authorizeRequest('web', 'api', t, req('GET', '/')).allowed).toBe(true);
    expect(authorizeRequest('web', 'api', t, req('GET', '/', { 'x-debug': '1' })).allowed).toBe(false);
  });

  it('denies a path rule bypass once the path is normalized', () => {
    const t = table([ixn('web', 'api', { Permissions: [{ Action: 'deny', HTTP: { PathPrefix: '/admin' } }] })], true);
    const sneaky = '/public/../admin/users';
    expect(authorizeRequest('web', 'api', t, requestHead('GET', sneaky, {})).allowed).toBe(true);
    expect(authorizeRequest('web', 'api', t, requestHead('GET', sneaky, {}, { normalize: true })).allowed).toBe(false);
    expect(authorizeRequest('web', 'api', t, requestHead('GET', '/%61dmin', {}, { normalize: true })).allowed).toBe(false);
  });

  it('compiles a table once and recompiles for a new table', () => {
    const t1 = table([ixn('web', 'api', { Permissions: [{ Action: 'allow', HTTP: { PathRegex: '/v[0-9]+/.*' } }] })]);
    const first = authorizeRequest('web', 'api', t1, req('GET', '/v1/x'));
    expect(first.allowed).toBe(true);
    expect(authorizeRequest('web', 'api', t1, req('GET', '/v2/y'))).toBe(first);
    const t2 = table([ixn('web', 'api', { Permissions: [{ Action: 'deny', HTTP: { PathRegex: '/v[0-9]+/.*' } }] })], true);
    expect(authorizeRequest('web', 'api', t2, req('GET', '/v1/x')).allowed).toBe(false);
  });

  it('fails closed on a rule it cannot evaluate', () => {
    const broken = { PathRegex: '(?U)/a+' };
    const deny = table([ixn('web', 'api', { Permissions: [{ Action: 'deny', HTTP: broken }] })], true);
    const d = authorizeRequest('web', 'api', deny, req('GET', '/b'));
    expect(d.allowed).toBe(false);
    expect(d.reason).toMatch(/^Matched L7 intention: web => api, permission 1 \(deny\); its rule cannot be evaluated/);
    const allow = table([ixn('web', 'api', { Permissions: [{ Action: 'allow', HTTP: broken }] })], false);
    expect(authorizeRequest('web', 'api', allow, req('GET', '/aaa')).allowed).toBe(false);
  });
});
