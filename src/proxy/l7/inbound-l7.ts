import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { ProxySnapshot } from '../../proxycfg/wire.js';
import { authenticateCaller, type Authorization } from '../../sdk/authorize.js';
import { spiffeUri } from '../../connect/spiffe.js';
import { peerIdentity } from '../../sdk/identity.js';
import { connectLocal } from '../local-connect.js';
import type { AccessLog } from './access-log.js';
import type { DownstreamRequest } from './downstream.js';
import { HttpFront } from './http-front.js';
import type { HttpMetrics } from './http-metrics.js';
import { InboundHandler, type Caller, type InboundTable } from './inbound-handler.js';
import { H1Transport } from './transports/h1-transport.js';
import { H2Transport } from './transports/h2-transport.js';
import type { HttpTransport } from './transports/transport.js';

const CALLER = Symbol('weft.caller');

type CallerSocket = TLSSocket & { [CALLER]?: Caller };

/**
 * The public listener at L7. Each connection is authenticated once (its certificate's
 * SPIFFE ID, remembered on the socket); each request is then authorized and sent to the
 * local app over a pool kept for as long as the app's address and protocol stay the same.
 */
export class InboundL7 {
  readonly front: HttpFront;
  private readonly handler: InboundHandler;
  private localKey = '';

  constructor(
    s: ProxySnapshot,
    accessLog: AccessLog | null,
    metrics: HttpMetrics,
    log: Logger,
  ) {
    this.handler = new InboundHandler(this.build(s, accessLog, null), metrics, log);
    this.front = new HttpFront((req, res) => this.handler.serve(req, res, callerOf(req)));
  }

  /** The connection-level check: a service of this trust domain; intentions wait for the request. */
  authenticate(socket: TLSSocket, trustDomain: string): Authorization {
    const peer = peerIdentity(socket);
    const who = authenticateCaller(peer, trustDomain);
    if (who.allowed && peer?.kind === 'service') {
      (socket as CallerSocket)[CALLER] = { service: who.source ?? peer.service, uri: spiffeUri(peer) };
    }
    return who;
  }

  update(s: ProxySnapshot, accessLog: AccessLog | null): void {
    this.handler.table = this.build(s, accessLog, this.handler.table);
  }

  private build(s: ProxySnapshot, accessLog: AccessLog | null, prev: InboundTable | null): InboundTable {
    const l = s.PublicListener!;
    const key = `${l.LocalServiceAddress}:${l.LocalServicePort}/${l.Protocol}`;
    let local: HttpTransport;
    if (prev && key === this.localKey) local = prev.local;
    else {
      const dial = () => connectLocal({ host: l.LocalServiceAddress, port: l.LocalServicePort, timeoutMs: l.LocalConnectTimeoutMs });
      local = l.Protocol === 'http' ? new H1Transport(dial) : new H2Transport(dial, false);
      if (prev) void prev.local.close();
      this.localKey = key;
    }
    return {
      service: s.Service,
      spiffeId: s.SpiffeID,
      intentions: s.Intentions,
      local,
      localAddress: `${l.LocalServiceAddress}:${l.LocalServicePort}`,
      requestTimeoutMs: l.LocalRequestTimeoutMs,
      accessLog,
    };
  }

  async close(): Promise<void> {
    this.front.drain();
    await this.handler.table.local.close();
  }
}

function callerOf(req: DownstreamRequest): Caller {
  // For h2 requests `req.socket` is Node's proxy of the session's socket; symbol reads pass through.
  return (req.socket as CallerSocket)[CALLER] ?? { service: '', uri: '' };
}
