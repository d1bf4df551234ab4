import { describe, expect, it } from 'vitest';
import { certIdentity, expectIdentity, uriSans } from './identity.js';

const ID = 'spiffe://1111.consul/ns/default/dc/dc1/svc/web';

describe('certificate identities', () => {
  it('reads URI SANs as Node reports them, quoted or not', () => {
    expect(uriSans({ subjectaltname: `URI:${ID}, DNS:web.svc.default.1111.consul` })).toEqual([ID]);
    expect(uriSans({ subjectaltname: `DNS:a, URI:"spiffe://x.consul/ns/default/dc/dc1/svc/a,b"` })).toEqual(['spiffe://x.consul/ns/default/dc/dc1/svc/a,b']);
    expect(uriSans({})).toEqual([]);
  });

  it('takes a certificate as a Connect identity only with exactly one SPIFFE URI', () => {
    expect(certIdentity({ subjectaltname: `URI:${ID}` })).toMatchObject({ kind: 'service', service: 'web', trustDomain: '1111.consul' });
    expect(certIdentity({ subjectaltname: `URI:${ID}, URI:spiffe://1111.consul/ns/default/dc/dc1/svc/db` })).toBeNull();
    expect(certIdentity({ subjectaltname: 'DNS:web' })).toBeNull();
  });

  it('accepts a dialed peer only with the expected SPIFFE ID, whatever the case of the trust domain', () => {
    const check = expectIdentity(ID);
    expect(check('x', { subjectaltname: `URI:spiffe://1111.CONSUL/ns/default/dc/dc1/svc/web` } as never)).toBeUndefined();
    expect(check('x', { subjectaltname: `URI:spiffe://1111.consul/ns/default/dc/dc1/svc/api` } as never)?.message).toBe(
      'peer presented spiffe://1111.consul/ns/default/dc/dc1/svc/api, want spiffe://1111.consul/ns/default/dc/dc1/svc/web',
    );
  });
});
