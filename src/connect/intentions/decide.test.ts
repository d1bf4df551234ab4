import { describe, expect, it } from 'vitest';
import { intentionPrecedence, type Intention } from '../../state/index.js';
import { decideIntention } from './decide.js';
import { defaultIntentionPolicy } from './default-policy.js';

const ALLOW = { allow: true, reason: 'Default behavior configured by ACLs' };
const DENY = { allow: false, reason: 'Default intention policy' };

function ixn(src: string, dst: string, action: 'allow' | 'deny' | 'l7'): Intention {
  const out: Intention = {
    SourceNS: 'default',
    SourceName: src,
    DestinationNS: 'default',
    DestinationName: dst,
    SourceType: 'consul',
    Meta: null,
    Precedence: intentionPrecedence(src, dst),
    CreateIndex: 1,
    ModifyIndex: 1,
  };
  if (action === 'l7') out.Permissions = [{ Action: 'allow', HTTP: { PathPrefix: '/' } }];
  else out.Action = action;
  return out;
}

describe('intention decisions', () => {
  it('computes Consul precedence: exact->exact 9, *->exact 8, exact->* 6, *->* 5', () => {
    expect([intentionPrecedence('web', 'db'), intentionPrecedence('*', 'db'), intentionPrecedence('web', '*'), intentionPrecedence('*', '*')]).toEqual([9, 8, 6, 5]);
  });

  it('plays the seed demo: web -> * denied, web -> db allowed', () => {
    const all = [ixn('web', '*', 'deny'), ixn('web', 'db', 'allow')];
    expect(decideIntention(all, 'web', 'db', ALLOW)).toMatchObject({ allowed: true, reason: 'Matched L4 intention: default/web => default/db (Precedence: 9, Action: ALLOW)' });
    expect(decideIntention(all, 'web', 'other', ALLOW)).toMatchObject({ allowed: false, reason: 'Matched L4 intention: default/web => default/* (Precedence: 6, Action: DENY)' });
    expect(decideIntention(all, 'api', 'db', ALLOW)).toEqual({ allowed: true, reason: ALLOW.reason, hasPermissions: false });
    expect(decideIntention(all, 'api', 'db', DENY).allowed).toBe(false);
  });

  it('lets the most specific intention win whatever order it is given in', () => {
    const all = [ixn('*', '*', 'allow'), ixn('*', 'db', 'deny'), ixn('web', '*', 'allow'), ixn('web', 'db', 'deny')];
    expect(decideIntention(all, 'web', 'db', ALLOW).matched?.Precedence).toBe(9);
    expect(decideIntention(all.slice(0, 3), 'web', 'db', ALLOW)).toMatchObject({ allowed: false, matched: { SourceName: '*', DestinationName: 'db' } });
    expect(decideIntention(all.slice(0, 3), 'web', 'cache', DENY)).toMatchObject({ allowed: true, matched: { SourceName: 'web' } });
    expect(decideIntention([all[0]], 'x', 'y', DENY).allowed).toBe(true);
  });

  it('breaks a precedence tie towards deny', () => {
    const a = { ...ixn('web', 'db', 'allow'), SourceName: 'web' };
    const d = { ...ixn('web', 'db', 'deny') };
    expect(decideIntention([a, d], 'web', 'db', ALLOW).allowed).toBe(false);
    expect(decideIntention([d, a], 'web', 'db', ALLOW).allowed).toBe(false);
  });

  it('treats an L7 intention as deny for a connection-level decision', () => {
    expect(decideIntention([ixn('web', 'db', 'l7')], 'web', 'db', ALLOW)).toMatchObject({
      allowed: false,
      hasPermissions: true,
      reason: 'Matched L7 intention: default/web => default/db (Precedence: 9, Permissions: 1)',
    });
  });

  it('takes the default from default_intention_policy, then ACLs, else allow', () => {
    expect(defaultIntentionPolicy({ acl: {}, connect: {} })).toEqual({ allow: true, reason: 'Default behavior configured by ACLs' });
    expect(defaultIntentionPolicy({ acl: { enabled: true, default_policy: 'deny' }, connect: {} }).allow).toBe(false);
    expect(defaultIntentionPolicy({ acl: { enabled: false, default_policy: 'deny' }, connect: {} }).allow).toBe(true);
    expect(defaultIntentionPolicy({ acl: { enabled: true, default_policy: 'deny' }, connect: {}, defaultIntentionPolicy: 'allow' })).toEqual({
      allow: true,
      reason: 'Default intention policy',
    });
  });
});
