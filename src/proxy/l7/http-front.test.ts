import { connect as h2connect } from 'node:http2';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpFront } from './http-front.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A plain listener handing every connection to the front end's protocol detection. */
async function listen(front: HttpFront): Promise<number> {
  const server: Server = createServer({ pauseOnConnect: true }, (s) => front.detect(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return (server.address() as AddressInfo).port;
}

function echoFront(): HttpFront {
  return new HttpFront((req, res) => {
    let n = 0;
    req.on('data', (c: Buffer) => (n += c.length));
    req.on('end', () => res.writeHead(200, { 'x-version': String(req.httpVersion) }).end(`${req.method} ${req.url} ${n}`));
  });
}

describe('HttpFront', () => {
  it('serves HTTP/1.1 on a plaintext connection, large request bodies intact', async () => {
    const port = await listen(echoFront());
    const agent = new Agent();
    cleanups.push(() => agent.close());
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const res = await request(`http://127.0.0.1:${port}/up`, { method: 'POST', body, dispatcher: agent });
    expect(res.headers['x-version']).toBe('1.1');
    expect(await res.body.text()).toBe(`POST /up ${body.length}`);
    const again = await request(`http://127.0.0.1:${port}/again`, { dispatcher: agent });
    expect(await again.body.text()).toBe('GET /again 0');
  });

  it('detects h2c with prior knowledge on the same port', async () => {
    const port = await listen(echoFront());
    const client = h2connect(`http://127.0.0.1:${port}`);
    cleanups.push(() => client.close());
    const answer = await new Promise<{ version: unknown; text: string }>((resolve, reject) => {
      const st = client.request({ ':method': 'POST', ':path': '/h2' });
      let text = '';
      let version: unknown;
      st.on('response', (h) => (version = h['x-version']));
      st.on('data', (c) => (text += c));
      st.on('end', () => resolve({ version, text }));
      st.on('error', reject);
      st.end('abc');
    });
    expect(answer).toEqual({ version: '2.0', text: 'POST /h2 3' });
  });
});
