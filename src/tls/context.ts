import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { WeftError } from '../lib/errors.js';
import type { TlsEndpoint } from './settings.js';

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new WeftError('CONFIG_INVALID', `Failed to load ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** The trusted CAs: `ca_file`, plus every PEM file in `ca_path`. Undefined: the system's. */
export function trustedCas(e: Pick<TlsEndpoint, 'caFile' | 'caPath'>): Buffer[] | undefined {
  const out: Buffer[] = [];
  if (e.caFile) out.push(read(e.caFile, 'CA file'));
  if (e.caPath) {
    let names: string[];
    try {
      names = readdirSync(e.caPath);
    } catch (err) {
      throw new WeftError('CONFIG_INVALID', `Failed to read CA path ${e.caPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    for (const n of names.sort()) if (/\.(pem|crt)$/i.test(n)) out.push(read(join(e.caPath, n), 'CA file'));
  }
  return out.length ? out : undefined;
}

/**
 * What a listener needs to serve TLS: its certificate and key, and with `verify_incoming` the
 * CAs a client certificate must chain to (a client without one is refused in the handshake).
 */
export function serverTlsOptions(e: TlsEndpoint, what: string): TlsOptions {
  if (!e.certFile || !e.keyFile) throw new WeftError('CONFIG_INVALID', `${what} needs tls cert_file and key_file`);
  const ca = trustedCas(e);
  if (e.verifyIncoming && !ca) throw new WeftError('CONFIG_INVALID', `${what}: verify_incoming needs ca_file or ca_path to check client certificates against`);
  return {
    cert: read(e.certFile, 'certificate'),
    key: read(e.keyFile, 'key'),
    ca,
    requestCert: e.verifyIncoming,
    rejectUnauthorized: e.verifyIncoming,
    minVersion: e.minVersion,
  };
}

/**
 * What an agent needs to dial a TLS listener: the CAs to verify the peer with, and its own
 * certificate when it has one (servers with `verify_incoming` ask for it). `serverName` set:
 * the peer's certificate must name it; unset: the chain is verified but not the name.
 */
export function clientTlsOptions(e: TlsEndpoint, serverName?: string): SecureContextOptions & { servername?: string; checkServerIdentity?: () => undefined } {
  const out: SecureContextOptions & { servername?: string; checkServerIdentity?: () => undefined } = { ca: trustedCas(e), minVersion: e.minVersion };
  if (e.certFile && e.keyFile) {
    out.cert = read(e.certFile, 'certificate');
    out.key = read(e.keyFile, 'key');
  }
  if (serverName) out.servername = serverName;
  else out.checkServerIdentity = () => undefined;
  return out;
}
