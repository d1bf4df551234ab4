import type { ApiClient, Response } from './client.js';

/** Consul's Connect wire shapes, as the API sends them. */
export interface CARoot {
  ID: string;
  Name: string;
  SerialNumber: number;
  SigningKeyID: string;
  ExternalTrustDomain: string;
  NotBefore: string;
  NotAfter: string;
  RootCert: string;
  IntermediateCerts: string[] | null;
  Active: boolean;
  PrivateKeyType: string;
  PrivateKeyBits: number;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface CARoots {
  ActiveRootID: string;
  TrustDomain: string;
  Roots: CARoot[];
}

export interface LeafCert {
  SerialNumber: string;
  CertPEM: string;
  PrivateKeyPEM: string;
  Service: string;
  ServiceURI: string;
  ValidAfter: string;
  ValidBefore: string;
  Namespace?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface CAConfig {
  Provider: string;
  Config: Record<string, unknown>;
  ForceWithoutCrossSigning?: boolean;
  CreateIndex?: number;
  ModifyIndex?: number;
}

export interface IntentionHTTPPermission {
  PathExact?: string;
  PathPrefix?: string;
  PathRegex?: string;
  Header?: { Name: string; Present?: boolean; Exact?: string; Prefix?: string; Suffix?: string; Regex?: string; Invert?: boolean }[];
  Methods?: string[];
}

export interface IntentionPermission {
  Action: 'allow' | 'deny';
  HTTP?: IntentionHTTPPermission;
}

export interface Intention {
  ID?: string;
  Description?: string;
  SourceNS: string;
  SourceName: string;
  DestinationNS: string;
  DestinationName: string;
  SourceType: string;
  Action?: 'allow' | 'deny';
  Permissions?: IntentionPermission[];
  Meta: Record<string, string> | null;
  Precedence: number;
  CreatedAt?: string;
  UpdatedAt?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface AuthorizeResult {
  Authorized: boolean;
  Reason: string;
}

/** A blocking read: pass the index of the previous answer to wait for a change. */
export interface BlockingOptions {
  index?: number;
  wait?: string;
  signal?: AbortSignal;
}

const blocking = (o: BlockingOptions = {}) => ({ query: { index: o.index || undefined, wait: o.wait }, signal: o.signal });

/**
 * Typed calls for Connect (CA, leaf certificates, intentions, authorize) over an ApiClient,
 * for the CLI, the built-in proxy and native apps.
 */
export class ConnectApi {
  constructor(private readonly client: ApiClient) {}

  roots(o?: BlockingOptions): Promise<Response<CARoots>> {
    return this.client.get<CARoots>('/v1/agent/connect/ca/roots', blocking(o));
  }

  leaf(service: string, o?: BlockingOptions): Promise<Response<LeafCert>> {
    return this.client.get<LeafCert>(`/v1/agent/connect/ca/leaf/${encodeURIComponent(service)}`, blocking(o));
  }

  authorize(target: string, clientCertURI: string, clientCertSerial = ''): Promise<Response<AuthorizeResult>> {
    return this.client.post<AuthorizeResult>('/v1/agent/connect/authorize', { body: { Target: target, ClientCertURI: clientCertURI, ClientCertSerial: clientCertSerial } });
  }

  /** The intentions deciding connections to (or from) each name, in evaluation order. */
  intentionMatch(by: 'source' | 'destination', names: string[], o?: BlockingOptions): Promise<Response<Record<string, Intention[]>>> {
    const b = blocking(o);
    return this.client.get<Record<string, Intention[]>>('/v1/connect/intentions/match', { ...b, query: { ...b.query, by, name: names } });
  }

  /**
   * The default decision a `match` answer came with (Weft's X-Weft-Default-Intention-Policy
   * header); a Consul agent does not send it, and its default is the ACL default policy.
   */
  static defaultAllow(res: Response<unknown>): boolean {
    const v = res.headers['x-weft-default-intention-policy'] ?? res.headers['x-consul-default-acl-policy'];
    return v !== 'deny';
  }

  intentionCheck(source: string, destination: string): Promise<Response<{ Allowed: boolean }>> {
    return this.client.get<{ Allowed: boolean }>('/v1/connect/intentions/check', { query: { source, destination } });
  }

  caConfig(): Promise<Response<CAConfig>> {
    return this.client.get<CAConfig>('/v1/connect/ca/configuration');
  }

  setCAConfig(config: CAConfig): Promise<Response<unknown>> {
    return this.client.put('/v1/connect/ca/configuration', { body: config });
  }

  /** Server-internal: a client agent's leaf CSR, signed by a server (see docs/connect.md). */
  signCsr(csr: string, token?: string): Promise<Response<Omit<LeafCert, 'PrivateKeyPEM' | 'Namespace'> & { SigningKeyID: string }>> {
    return this.client.put('/v1/internal/connect/ca/sign', { body: { CSR: csr }, query: { token } });
  }
}
