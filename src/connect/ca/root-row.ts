import { toUint64 } from '../../lib/uint64-json.js';
import type { CARootInput } from '../../state/index.js';
import { rfc3339 } from '../rfc3339.js';
import { rootFacts } from './root.js';

/** A root as the state store keeps it, from its certificate (Consul's newCARoot). */
export function rootRow(pem: string, clusterId: string, intermediates: string[] = []): CARootInput {
  const f = rootFacts(pem);
  return {
    ID: f.ID,
    Name: 'Weft CA Primary Cert',
    SerialNumber: toUint64(f.SerialNumber.toString()) ?? 0,
    SigningKeyID: f.SigningKeyID,
    ExternalTrustDomain: clusterId,
    NotBefore: rfc3339(f.NotBefore),
    NotAfter: rfc3339(f.NotAfter),
    RootCert: pem.endsWith('\n') ? pem : pem + '\n',
    IntermediateCerts: intermediates,
    Active: true,
    PrivateKeyType: f.PrivateKeyType,
    PrivateKeyBits: f.PrivateKeyBits,
  };
}
