import type { Uint64 } from '../../lib/uint64-json.js';

export const CA_CONFIG = 'connect-ca-config';
export const CA_ROOTS = 'connect-ca-roots';
/** Signing keys by root ID. Only servers hold this table; no read path returns it to clients. */
export const CA_KEYS = 'connect-ca-keys';
export const CA_CONFIG_KEY = 'config';

/** The CA configuration (Consul's CAConfiguration); Config never holds a private key. */
export interface CAConfigRow {
  Key: typeof CA_CONFIG_KEY;
  ClusterID: string;
  Provider: string;
  Config: Record<string, unknown>;
  ForceWithoutCrossSigning: boolean;
  CreateIndex: number;
  ModifyIndex: number;
}

/** A trusted root (Consul's CARoot). Times are RFC 3339 strings. */
export interface CARootRow {
  ID: string;
  Name: string;
  SerialNumber: Uint64;
  SigningKeyID: string;
  ExternalTrustDomain: string;
  NotBefore: string;
  NotAfter: string;
  RootCert: string;
  /** Certificates to send after a leaf signed by this root (the cross-signed root during a rotation). */
  IntermediateCerts: string[];
  Active: boolean;
  PrivateKeyType: string;
  PrivateKeyBits: number;
  /** When a rotation made it inactive, and from when no leaf it signed can still be valid. */
  RotatedOutAt?: string;
  PruneAfter?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export type CARootInput = Omit<CARootRow, 'CreateIndex' | 'ModifyIndex'>;

export interface CAKeyRow {
  RootID: string;
  PrivateKey: string;
}
