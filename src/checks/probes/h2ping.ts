import { splitHostPort } from '../address.js';
import { dialErrorText, isTlsError, tlsErrorText } from '../net-errors.js';
import type { CheckDefinition, ProbeResult } from '../types.js';
import { critical, deadline, passing, type ProbeContext } from './context.js';
import { closeH2Session, openH2Session } from './h2-session.js';

/** H2PING check: passing when the server acknowledges an HTTP/2 PING frame. TLS unless `h2ping_use_tls: false`. */
export async function probeH2ping(def: CheckDefinition, ctx: ProbeContext): Promise<ProbeResult> {
  const target = def.h2ping!;
  const hp = splitHostPort(target);
  if ('error' in hp) return critical(`Failed to dial to ${target}: dial tcp ${hp.error}`);
  const dl = deadline(ctx, def.timeoutMs);
  try {
    let session;
    try {
      session = await openH2Session(hp.host, hp.port, def.h2pingUseTls !== false, def, ctx, dl);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return critical(`Failed to dial to ${target}: ${isTlsError(e) ? tlsErrorText(e) : dialErrorText('tcp', target, hp.host, e)}`);
    }
    try {
      await new Promise<void>((resolve, reject) => {
        const cancel = dl.onAbort(() => reject(new Error('context deadline exceeded')));
        const fail = (err: Error) => {
          cancel();
          reject(err);
        };
        session.on('error', fail);
        session.once('close', () => fail(new Error('connection closed before the ping was acknowledged')));
        session.ping((err) => {
          cancel();
          if (err) reject(err);
          else resolve();
        });
      });
      return passing('HTTP2 ping was successful');
    } catch (err) {
      return critical(`HTTP2 ping failed: ${(err as Error).message}`);
    } finally {
      closeH2Session(session);
    }
  } finally {
    dl.done();
  }
}
