import { describe, expect, it } from 'vitest';
import { caConfigJson, parseCAConfig } from './config.js';

describe('CA configuration', () => {
  it('fills Consul defaults and prints durations the Go way', () => {
    const c = parseCAConfig({});
    expect(caConfigJson(c)).toEqual({
      LeafCertTTL: '72h0m0s',
      IntermediateCertTTL: '8760h0m0s',
      RootCertTTL: '87600h0m0s',
      RotationPeriod: '2160h0m0s',
      PrivateKeyType: 'ec',
      PrivateKeyBits: 256,
    });
  });

  it('accepts snake_case keys from agent files and defaults RSA to 2048 bits', () => {
    const c = parseCAConfig({ leaf_cert_ttl: '24h', private_key_type: 'rsa' });
    expect(c).toMatchObject({ LeafCertTTL: 24 * 3600_000, PrivateKeyType: 'rsa', PrivateKeyBits: 2048 });
    expect(parseCAConfig({ LeafCertTTL: 7_200_000_000_000 }).LeafCertTTL).toBe(2 * 3600_000);
  });

  it("refuses bad values with Consul's messages", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ LeafCertTTL: '30m' }, 'leaf cert TTL must be greater or equal than 1h0m0s'],
      [{ LeafCertTTL: '9000h', IntermediateCertTTL: '30000h', RootCertTTL: '90000h' }, 'leaf cert TTL must be less than 8760h0m0s'],
      [{ IntermediateCertTTL: '2h' }, 'Intermediate Cert TTL must be greater or equal than 3h'],
      [{ LeafCertTTL: '72h', IntermediateCertTTL: '100h' }, 'Intermediate Cert TTL must be greater or equal than 3 * LeafCertTTL (>=216h0m0s).'],
      [{ LeafCertTTL: '1h', IntermediateCertTTL: '4h', RootCertTTL: '3h' }, 'root cert TTL is set and is not greater than intermediate cert ttl. root cert ttl: 3h0m0s, intermediate cert ttl: 4h0m0s'],
      [{ PrivateKeyType: 'dsa' }, "private key type must be either 'ec' or 'rsa'"],
      [{ PrivateKeyType: 'ec', PrivateKeyBits: 128 }, 'EC key length must be one of (256, 384, 521) bits'],
      [{ PrivateKeyType: 'rsa', PrivateKeyBits: 1024 }, 'RSA key length must be 2048 or 4096 bits'],
      [{ RootCert: '-----BEGIN CERTIFICATE-----' }, 'must provide a private key when providing a root cert'],
      [{ LeafCertTTL: 'soon' }, `'LeafCertTTL' time: invalid duration "soon"`],
    ];
    for (const [raw, message] of cases) expect(() => parseCAConfig(raw), message).toThrow(`error parsing CA config: ${message}`);
  });
});
