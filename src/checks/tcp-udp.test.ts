import dgram from 'node:dgram';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../test/e2e/harness.js';
import { parseCheckDefinition, probeCheck } from './index.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const probe = (raw: Record<string, unknown>) =>
  probeCheck(parseCheckDefinition({ Name: 'sock', Interval: '10s', ...raw }), { signal: new AbortController().signal });

async function tcpServer(): Promise<{ port: number; accepted: () => number }> {
  let n = 0;
  const srv: Server = createServer((s) => {
    n++;
    s.destroy();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => srv.close(() => r())));
  return { port: (srv.address() as AddressInfo).port, accepted: () => n };
}

async function udpServer(reply: boolean): Promise<{ port: number; received: () => number }> {
  let n = 0;
  const sock = dgram.createSocket('udp4');
  sock.on('message', (_msg, rinfo) => {
    n++;
    if (reply) sock.send('pong', rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => sock.close(() => r())));
  return { port: sock.address().port, received: () => n };
}

describe('TCP check', () => {
  it('is passing when the port accepts a connection', async () => {
    const { port, accepted } = await tcpServer();
    expect(await probe({ TCP: `127.0.0.1:${port}` })).toEqual({ status: 'passing', output: `TCP connect 127.0.0.1:${port}: Success` });
    expect(accepted()).toBe(1);
  });

  it('is critical with Go-style output when the port refuses', async () => {
    const port = await freePort();
    expect(await probe({ tcp: `127.0.0.1:${port}` })).toEqual({
      status: 'critical',
      output: `dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });

  it('is critical for an address without a port', async () => {
    expect(await probe({ TCP: 'localhost' })).toEqual({ status: 'critical', output: 'dial tcp address localhost: missing port in address' });
  });
});

describe('UDP check', () => {
  it('is passing when the service replies', async () => {
    const { port, received } = await udpServer(true);
    expect(await probe({ UDP: `127.0.0.1:${port}` })).toEqual({ status: 'passing', output: `UDP connect 127.0.0.1:${port}: Success` });
    expect(received()).toBe(1);
  });

  it('is passing when the service stays silent until the timeout (as Consul)', async () => {
    const { port, received } = await udpServer(false);
    const r = await probe({ UDP: `127.0.0.1:${port}`, Timeout: '150ms' });
    expect(r.status).toBe('passing');
    expect(received()).toBe(1);
  });

  it('is critical when the host answers "port unreachable"', async () => {
    const port = await freePort();
    const r = await probe({ UDP: `127.0.0.1:${port}`, Timeout: '5s' });
    expect(r.status).toBe('critical');
    expect(r.output).toMatch(new RegExp(`^read udp 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${port}: read: connection refused$`));
  });
});
