/**
 * Go-style text for socket errors ("dial tcp 127.0.0.1:1: connect: connection refused"), because
 * check output is read by people and tools used to Consul's wording.
 */
const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  ETIMEDOUT: 'i/o timeout',
  EPIPE: 'broken pipe',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EACCES: 'permission denied',
};

export function errnoText(err: NodeJS.ErrnoException): string {
  return (err.code && ERRNO_TEXT[err.code]) ?? err.message;
}

export function isDnsFailure(err: NodeJS.ErrnoException): boolean {
  return err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' || err.syscall === 'getaddrinfo';
}

/** The error of dialing `network` ("tcp", "udp") to `addr`. */
export function dialErrorText(network: string, addr: string, host: string, err: NodeJS.ErrnoException): string {
  if (isDnsFailure(err)) return `dial ${network}: lookup ${host}: no such host`;
  if (err.code === 'ETIMEDOUT') return `dial ${network} ${addr}: i/o timeout`;
  if (err.syscall === 'connect' || err.code === 'ECONNREFUSED') return `dial ${network} ${addr}: connect: ${errnoText(err)}`;
  return `dial ${network} ${addr}: ${errnoText(err)}`;
}

/** A TLS handshake failure, worded like Go's crypto/tls where Node gives a code. */
export function tlsErrorText(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `tls: failed to verify certificate: x509: certificate signed by unknown authority (${err.message})`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: ${err.message}`;
    case 'CERT_HAS_EXPIRED':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    default:
      if (/wrong version number|packet length too long/i.test(err.message)) return 'tls: first record does not look like a TLS handshake';
      return err.message.trim();
  }
}

export function isTlsError(err: NodeJS.ErrnoException): boolean {
  return Boolean(err.code && (/CERT|TLS|SSL/.test(err.code) || err.code.startsWith('ERR_SSL'))) || /SSL routines/i.test(err.message);
}
