/** What `caRoots` and `caLeaf` return: Consul api's CARoot and LeafCert. */
type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
/** Go's time.Time fields print as times; a Date prints the same way in templates. */
const time = (v: unknown): Date | null => (typeof v === 'string' && v ? new Date(v) : null);

export class CARoot {
  readonly ID: string;
  readonly Name: string;
  readonly SerialNumber: number;
  readonly SigningKeyID: string;
  readonly ExternalTrustDomain: string;
  readonly NotBefore: Date | null;
  readonly NotAfter: Date | null;
  readonly RootCertPEM: string;
  readonly IntermediateCerts: string[];
  readonly Active: boolean;
  readonly PrivateKeyType: string;
  readonly PrivateKeyBits: number;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;

  constructor(r: Json) {
    this.ID = str(r.ID);
    this.Name = str(r.Name);
    this.SerialNumber = num(r.SerialNumber);
    this.SigningKeyID = str(r.SigningKeyID);
    this.ExternalTrustDomain = str(r.ExternalTrustDomain);
    this.NotBefore = time(r.NotBefore);
    this.NotAfter = time(r.NotAfter);
    // The API's JSON calls it RootCert; Go's api.CARoot field (what templates name) is RootCertPEM.
    this.RootCertPEM = str(r.RootCert);
    this.IntermediateCerts = Array.isArray(r.IntermediateCerts) ? (r.IntermediateCerts as string[]) : [];
    this.Active = r.Active === true;
    this.PrivateKeyType = str(r.PrivateKeyType);
    this.PrivateKeyBits = num(r.PrivateKeyBits);
    this.CreateIndex = num(r.CreateIndex);
    this.ModifyIndex = num(r.ModifyIndex);
  }
}

export class LeafCert {
  readonly SerialNumber: string;
  readonly CertPEM: string;
  readonly PrivateKeyPEM: string;
  readonly Service: string;
  readonly ServiceURI: string;
  readonly ValidAfter: Date | null;
  readonly ValidBefore: Date | null;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;

  constructor(l: Json) {
    this.SerialNumber = str(l.SerialNumber);
    this.CertPEM = str(l.CertPEM);
    this.PrivateKeyPEM = str(l.PrivateKeyPEM);
    this.Service = str(l.Service);
    this.ServiceURI = str(l.ServiceURI);
    this.ValidAfter = time(l.ValidAfter);
    this.ValidBefore = time(l.ValidBefore);
    this.CreateIndex = num(l.CreateIndex);
    this.ModifyIndex = num(l.ModifyIndex);
  }
}
