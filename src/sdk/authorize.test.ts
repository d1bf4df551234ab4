import { describe, expect, it } from 'vitest';
import { decideIntention, parseSpiffeUri } from '../connect/index.js';
import { compareIntentions, intentionPrecedence } from '../state/index.js';
import { intention } from '../proxy/test-kit.js';
import { authorizeConnection } from './authorize.js';

const TD = '11111111-2222-3333-4444-555555555555.consul';
const peer = (service: string, td = TD) => parseSpiffeUri(`spiffe://${td}/ns/default/dc/dc1/svc/${service}`);

describe('authorizeConnection', () => {
  it('decides exactly as the agent does (decideIntention) for every source, over the match answer', () => {
    const names = ['web', 'api', 'db', '*'];
    const actions = ['allow', 'deny'] as const;
    // Every combination of up to three intentions toward db, in the order the match endpoint returns them.
    const pool = names.flatMap((s) => ['db', '*'].flatMap((d) => actions.map((a) => intention(s, d, a, intentionPrecedence(s, d)))));
    for (let i = 0; i < pool.length; i++) {
      for (let j = i; j < pool.length; j++) {
        const set = [pool[i], pool[j]].filter((x, k, all) => all.findIndex((y) => y.SourceName === x.SourceName && y.DestinationName === x.DestinationName) === k);
        const matches = [...set].sort(compareIntentions);
        for (const dflt of [true, false]) {
          for (const source of ['web', 'api', 'other']) {
            const want = decideIntention(matches, source, 'db', { allow: dflt, reason: 'd' }).allowed;
            const got = authorizeConnection(peer(source), TD, 'db', { Matches: matches, DefaultAllow: dflt, DefaultReason: 'd' }).allowed;
            expect(got, `${source} with ${JSON.stringify(set.map((x) => [x.SourceName, x.DestinationName, x.Action]))} default ${dflt}`).toBe(want);
          }
        }
      }
    }
  });

  it('denies an L7 intention at L4, and callers that are not services of this trust domain', () => {
    const l7 = { ...intention('web', 'db', 'allow'), Action: undefined, Permissions: [{ Action: 'allow' as const, HTTP: { PathPrefix: '/' } }] };
    const table = { Matches: [l7], DefaultAllow: true, DefaultReason: 'd' };
    expect(authorizeConnection(peer('web'), TD, 'db', table)).toMatchObject({ allowed: false, deniedBy: 'intention', reason: 'Matched L7 intention: web => db' });
    expect(authorizeConnection(peer('web', 'other.consul'), TD, 'db', table)).toMatchObject({ allowed: false, deniedBy: 'identity' });
    expect(authorizeConnection(null, TD, 'db', table)).toMatchObject({ allowed: false, deniedBy: 'identity' });
    expect(authorizeConnection(parseSpiffeUri(`spiffe://${TD}/agent/client/dc/dc1/id/n1`), TD, 'db', table)).toMatchObject({ allowed: false, deniedBy: 'identity' });
    expect(authorizeConnection(peer('api'), TD, 'db', table)).toMatchObject({ allowed: true, source: 'api' });
  });
});
