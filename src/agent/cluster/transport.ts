import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ApiClient } from '../../api/index.js';
import type { RuntimeConfig } from '../../config/index.js';
import { clientTlsOptions, serverName, tlsSettings } from '../../tls/index.js';

/**
 * How a client agent reaches its servers (RPC and serf ports): plain HTTP, or TLS when
 * `tls.internal_rpc.verify_outgoing` (or `tls.defaults`) says so — verifying the server's
 * certificate against the CA, and its name (`server.<dc>.<domain>`) with
 * `verify_server_hostname`. Every client of the cluster ports takes its connections from here.
 */
export class ClusterTransport {
  readonly scheme: 'http' | 'https';
  private readonly apiTls: NonNullable<ConstructorParameters<typeof ApiClient>[0]['tls']> | undefined;
  private readonly raw: HttpAgent;

  constructor(config: Pick<RuntimeConfig, 'tls' | 'datacenter' | 'domain'>) {
    const rpc = tlsSettings(config).internalRpc;
    this.scheme = rpc.verifyOutgoing ? 'https' : 'http';
    if (this.scheme === 'https') {
      const name = rpc.verifyServerHostname ? serverName(config.datacenter, config.domain) : undefined;
      this.apiTls = { caFile: rpc.caFile, caPath: rpc.caPath, certFile: rpc.certFile, keyFile: rpc.keyFile, serverName: name, skipHostnameCheck: !name };
      this.raw = new HttpsAgent({ keepAlive: true, ...clientTlsOptions(rpc, name) });
    } else {
      this.raw = new HttpAgent({ keepAlive: true });
    }
  }

  /** An API client for one server address (`host:port`), with the agent's token when given; `stale` lets any server answer reads. */
  client(address: string, opts: { token?: string | (() => string); stale?: boolean } = {}): ApiClient {
    const token = typeof opts.token === 'function' ? { tokenSource: opts.token } : { token: opts.token };
    return new ApiClient({ address: `${this.scheme}://${address}`, ...token, stale: opts.stale, tls: this.apiTls });
  }

  /** A raw request to a server, for streaming a forwarded request through. */
  request(options: RequestOptions, onResponse: (res: IncomingMessage) => void): ClientRequest {
    return (this.scheme === 'https' ? httpsRequest : httpRequest)({ ...options, agent: this.raw }, onResponse);
  }

  close(): void {
    this.raw.destroy();
  }
}
