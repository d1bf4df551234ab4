import net from 'node:net';
import tls from 'node:tls';
import { splitHostPort } from '../address.js';
import { dialErrorText, isTlsError, tlsErrorText } from '../net-errors.js';
import type { CheckDefinition, ProbeResult } from '../types.js';
import { critical, deadline, passing, tlsOptions, type ProbeContext } from './context.js';

/** TCP check: passing once a connection (and, with `tcp_use_tls`, a verified TLS handshake) succeeds. */
export async function probeTcp(def: CheckDefinition, ctx: ProbeContext): Promise<ProbeResult> {
  const addr = def.tcp!;
  const label = def.tcpUseTls ? 'TCP+TLS' : 'TCP';
  const hp = splitHostPort(addr);
  if ('error' in hp) return critical(`dial tcp ${hp.error}`);
  const dl = deadline(ctx, def.timeoutMs);
  try {
    await new Promise<void>((resolve, reject) => {
      const sock = def.tcpUseTls
        ? tls.connect({ host: hp.host, port: hp.port, ...tlsOptions(def, hp.host, ctx) })
        : net.connect({ host: hp.host, port: hp.port });
      const onAbort = () => {
        sock.destroy();
        reject(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' }));
      };
      const cancel = dl.onAbort(onAbort);
      sock.once(def.tcpUseTls ? 'secureConnect' : 'connect', () => {
        cancel();
        sock.destroy();
        resolve();
      });
      sock.on('error', (err) => {
        cancel();
        sock.destroy();
        reject(err);
      });
    });
    return passing(`${label} connect ${addr}: Success`);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return critical(isTlsError(e) ? tlsErrorText(e) : dialErrorText('tcp', addr, hp.host, e));
  } finally {
    dl.done();
  }
}
