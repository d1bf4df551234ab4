import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { splitHostPort } from '../address.js';
import { dialErrorText, errnoText } from '../net-errors.js';
import type { CheckDefinition, ProbeResult } from '../types.js';
import { critical, deadline, passing, type ProbeContext } from './context.js';

/**
 * UDP check, as Consul's: send a datagram on a connected socket, then wait for a reply. A reply or
 * silence until the timeout is passing (most UDP services never answer an empty datagram); an error
 * on the socket, above all the ICMP "port unreachable" that surfaces as ECONNREFUSED, is critical.
 */
export async function probeUdp(def: CheckDefinition, ctx: ProbeContext): Promise<ProbeResult> {
  const addr = def.udp!;
  const hp = splitHostPort(addr);
  if ('error' in hp) return critical(`dial udp ${hp.error}`);
  const ok = passing(`UDP connect ${addr}: Success`);
  let family: number;
  try {
    family = (await lookup(hp.host)).family;
  } catch (err) {
    return critical(dialErrorText('udp', addr, hp.host, err as NodeJS.ErrnoException));
  }
  const dl = deadline(ctx, def.timeoutMs);
  const sock = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
  try {
    return await new Promise<ProbeResult>((resolve) => {
      const local = () => {
        try {
          const a = sock.address();
          return family === 6 ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
        } catch {
          return '';
        }
      };
      dl.onAbort(() => resolve(ok));
      sock.once('message', () => resolve(ok));
      sock.on('error', (err: NodeJS.ErrnoException) => {
        const verb = err.syscall === 'send' ? 'write' : 'read';
        resolve(critical(`${verb} udp ${local()}->${addr}: ${verb}: ${errnoText(err)}`));
      });
      sock.connect(hp.port, hp.host, () => {
        sock.send(Buffer.alloc(0), (err) => {
          if (err) resolve(critical(`write udp ${local()}->${addr}: write: ${errnoText(err as NodeJS.ErrnoException)}`));
        });
      });
    });
  } finally {
    dl.done();
    try {
      sock.close();
    } catch {
      // Already closed by a socket error.
    }
  }
}
