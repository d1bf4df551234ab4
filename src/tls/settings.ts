import type { RuntimeConfig } from '../config/index.js';

/** The TLS settings of one kind of traffic, `tls.defaults` merged under its own block. */
export interface TlsEndpoint {
  caFile: string;
  caPath: string;
  certFile: string;
  keyFile: string;
  /** Require and verify the peer's certificate on connections this agent accepts. */
  verifyIncoming: boolean;
  /** Use TLS, and verify the peer, on connections this agent makes. */
  verifyOutgoing: boolean;
  minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

export interface InternalRpcTls extends TlsEndpoint {
  /** Agents check that a server's certificate names `server.<datacenter>.<domain>`. */
  verifyServerHostname: boolean;
}

export interface TlsSettings {
  https: TlsEndpoint;
  internalRpc: InternalRpcTls;
}

type Block = Partial<Record<string, unknown>>;

const VERSIONS: Record<string, TlsEndpoint['minVersion']> = { TLSv1_0: 'TLSv1', TLSv1_1: 'TLSv1.1', TLSv1_2: 'TLSv1.2', TLSv1_3: 'TLSv1.3' };

function endpoint(defaults: Block, own: Block): TlsEndpoint {
  const pick = <T>(key: string, fallback: T): T => (own[key] ?? defaults[key] ?? fallback) as T;
  return {
    caFile: pick('ca_file', ''),
    caPath: pick('ca_path', ''),
    certFile: pick('cert_file', ''),
    keyFile: pick('key_file', ''),
    verifyIncoming: pick('verify_incoming', false),
    verifyOutgoing: pick('verify_outgoing', false),
    minVersion: VERSIONS[pick('tls_min_version', 'TLSv1_2')] ?? 'TLSv1.2',
  };
}

/**
 * The `tls { defaults { … } https { … } internal_rpc { … } }` block, typed. The config schema
 * has checked its shape; Consul's top-level keys (`ca_file`, `verify_incoming`, …) arrive here
 * already moved under `tls.defaults` by the legacy mapping.
 */
export function tlsSettings(config: Pick<RuntimeConfig, 'tls'>): TlsSettings {
  const tls = (config.tls ?? {}) as Record<string, Block | undefined>;
  const defaults = tls.defaults ?? {};
  const rpc = tls.internal_rpc ?? {};
  return {
    https: endpoint(defaults, tls.https ?? {}),
    internalRpc: { ...endpoint(defaults, rpc), verifyServerHostname: rpc.verify_server_hostname === true },
  };
}

/** Does this endpoint have a certificate to serve with? */
export const servesTls = (e: TlsEndpoint): boolean => e.certFile !== '' && e.keyFile !== '';

/** The name a server's certificate must carry when agents verify server hostnames. */
export const serverName = (datacenter: string, domain: string): string => `server.${datacenter}.${domain.replace(/\.$/, '')}`;
