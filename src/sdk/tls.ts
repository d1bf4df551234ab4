import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';

/** A service's TLS material: its certificate chain and key, and every root it trusts. */
export interface TlsMaterial {
  /** The leaf followed by its intermediates (Consul's CertPEM). */
  certPem: string;
  keyPem: string;
  /** All trusted roots; during a CA rotation, the old one and the new one. */
  rootPems: string[];
}

/** TLS 1.2 is the floor for mesh traffic, as in Consul's and Envoy's defaults. */
export const MIN_TLS_VERSION = 'TLSv1.2';

/** Options for a secure context presenting the leaf and trusting only the mesh roots (never the system store). */
export function contextOptions(m: TlsMaterial): SecureContextOptions {
  return { cert: m.certPem, key: m.keyPem, ca: m.rootPems, minVersion: MIN_TLS_VERSION };
}

/**
 * The current secure contexts of one identity. A rotation builds new ones; connections
 * already established keep the context they were made with, new handshakes use the new one.
 */
export class TlsContexts {
  private material: TlsMaterial | null = null;
  private context: SecureContext | null = null;
  private readonly listeners = new Set<(m: TlsMaterial) => void>();

  /** Installs new material; returns false (and changes nothing) when it is the same. */
  update(m: TlsMaterial): boolean {
    const cur = this.material;
    if (cur && cur.certPem === m.certPem && cur.keyPem === m.keyPem && cur.rootPems.join('\n') === m.rootPems.join('\n')) return false;
    // Built first: bad material throws here and the previous context stays in use.
    const context = createSecureContext(contextOptions(m));
    this.material = m;
    this.context = context;
    for (const l of this.listeners) l(m);
    return true;
  }

  get ready(): boolean {
    return this.context !== null;
  }

  /** The context for a new outbound handshake. */
  current(): SecureContext {
    if (!this.context) throw new Error('no certificate yet');
    return this.context;
  }

  currentMaterial(): TlsMaterial {
    if (!this.material) throw new Error('no certificate yet');
    return this.material;
  }

  /** Called on every change (e.g. to `server.setSecureContext`); returns the unsubscribe. */
  onChange(listener: (m: TlsMaterial) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
