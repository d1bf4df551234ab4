import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProxyStack } from './stack.js';
import { echoServer, endpoint, freePort, intention, makeLeaf, makeRoot, rotateRoot, silentLog, snapshot, type TestLeaf, type TestRoot } from './test-kit.js';

/** Sends `msg`, half-closes, and collects everything until the connection closes. */
function roundTrip(port: number, msg: string): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const s = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => s.end(msg));
    s.on('data', (d) => (got += d));
    s.on('error', () => undefined);
    s.on('close', () => resolve(got));
  });
}

/** A connection kept open: `ask` writes and waits for the echo. */
async function persistent(port: number): Promise<{ ask(msg: string): Promise<string>; socket: Socket }> {
  const s = connect({ port, host: '127.0.0.1' });
  await new Promise((r) => s.once('connect', r));
  return {
    socket: s,
    ask: (msg) =>
      new Promise((resolve, reject) => {
        let got = '';
        const onData = (d: Buffer) => {
          got += d;
          if (got.length >= msg.length) {
            s.off('data', onData);
            resolve(got);
          }
        };
        s.on('data', onData);
        s.once('close', () => reject(new Error('closed')));
        s.write(msg);
      }),
  };
}

async function metric(stack: ProxyStack, name: string, labels: string): Promise<number> {
  const line = (await stack.metrics.text()).split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

let root: TestRoot;
let webLeaf: TestLeaf;
let dbLeaf: TestLeaf;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  root = await makeRoot();
  [webLeaf, dbLeaf] = await Promise.all([makeLeaf(root, 'web'), makeLeaf(root, 'db')]);
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** db's sidecar in front of an echo app, and web's sidecar with db as an upstream; every listener on a port the OS picks. */
async function pair(opts: { intentions?: ReturnType<typeof intention>[] } = {}) {
  const app = await echoServer();
  cleanups.push(() => new Promise((r) => app.server.close(r)), () => app.sockets.forEach((s) => s.destroy()));
  const db = new ProxyStack(silentLog);
  const web = new ProxyStack(silentLog);
  cleanups.push(() => db.close(), () => web.close());
  const dbSnap = (over: Partial<Parameters<typeof snapshot>[0]> = {}) =>
    snapshot({ service: 'db', leaf: dbLeaf, roots: [root], listener: { port: 0, localPort: app.port }, intentions: opts.intentions, ...over });
  await db.apply(dbSnap());
  const dbPort = db.listeners().public!.port;
  const webSnap = (over: Partial<Parameters<typeof snapshot>[0]> = {}) =>
    snapshot({ service: 'web', leaf: webLeaf, roots: [root], upstreams: [{ name: 'db', port: 0, endpoints: [endpoint(dbPort, 'db')] }], ...over });
  await web.apply(webSnap());
  const upPort = web.listeners().upstreams[0].port;
  return { db, web, dbPort, upPort, dbSnap, webSnap };
}

describe('the L4 proxy stack', () => {
  it('carries a connection from the upstream port through both sidecars to the app, half-close included, and counts it', async () => {
    const { db, web, upPort } = await pair();
    expect(await roundTrip(upPort, 'hello')).toBe('hellobye');
    expect(await metric(web, 'weft_proxy_connections_total', 'listener="upstream:db"')).toBe(1);
    expect(await metric(web, 'weft_proxy_bytes_received_total', 'listener="upstream:db"')).toBe(5);
    expect(await metric(web, 'weft_proxy_bytes_sent_total', 'listener="upstream:db"')).toBe(8);
    expect(await metric(db, 'weft_proxy_bytes_received_total', 'listener="public"')).toBe(5);
    expect(await metric(db, 'weft_proxy_bytes_sent_total', 'listener="public"')).toBe(8);
  });

  it('closes new connections an intention denies, keeps open ones, and opens again on allow', async () => {
    const { db, upPort, dbSnap } = await pair();
    const open = await persistent(upPort);
    cleanups.push(() => open.socket.destroy());
    expect(await open.ask('one')).toBe('one');

    await db.apply(dbSnap({ intentions: [intention('web', 'db', 'deny')] }));
    expect(await roundTrip(upPort, 'hello')).toBe('');
    expect(await metric(db, 'weft_proxy_denied_connections_total', 'listener="public",reason="intention"')).toBe(1);
    expect(await open.ask('two')).toBe('two');

    await db.apply(dbSnap({ intentions: [intention('web', 'db', 'allow'), intention('*', 'db', 'deny', 8)] }));
    expect(await roundTrip(upPort, 'again')).toBe('againbye');
    await db.apply(dbSnap({ intentions: [], defaultAllow: false }));
    expect(await roundTrip(upPort, 'default')).toBe('');
  });

  it('refuses callers without a valid mesh certificate at the public port', async () => {
    const { db, dbPort } = await pair();
    const other = await makeRoot({ type: 'ec', bits: 256 }, 'aaaaaaaa-0000-0000-0000-000000000000.consul');
    const stranger = await makeLeaf(other, 'web', 'aaaaaaaa-0000-0000-0000-000000000000.consul');
    const attempt = (o: { cert?: string; key?: string }) =>
      new Promise<string>((resolve) => {
        let got = '';
        const s = tlsConnect({ port: dbPort, host: '127.0.0.1', rejectUnauthorized: false, ...o }, () => s.write('hello'));
        s.on('data', (d) => (got += d));
        s.on('error', () => undefined);
        s.on('close', () => resolve(got));
      });
    expect(await roundTrip(dbPort, 'GET / HTTP/1.0\r\n\r\n')).toBe('');
    expect(await attempt({})).toBe('');
    expect(await attempt({ cert: stranger.certPem, key: stranger.keyPem })).toBe('');
    expect(await metric(db, 'weft_proxy_tls_handshake_errors_total', 'listener="public"')).toBe(3);
    expect(await metric(db, 'weft_proxy_connections_total', 'listener="public"')).toBe(0);
  });

  it('refuses an upstream instance that presents another identity and retries a healthy one', async () => {
    const { web, dbPort, upPort, webSnap } = await pair();
    // "api" answers on another port with its own valid certificate: it is in the mesh, but it is not db.
    const app = await echoServer();
    cleanups.push(() => new Promise((r) => app.server.close(r)));
    const api = new ProxyStack(silentLog);
    cleanups.push(() => api.close());
    await api.apply(snapshot({ service: 'api', leaf: await makeLeaf(root, 'api'), roots: [root], listener: { port: 0, localPort: app.port } }));
    const apiPort = api.listeners().public!.port;

    await web.apply(webSnap({ upstreams: [{ name: 'db', port: 0, endpoints: [{ ...endpoint(apiPort, 'db'), ServiceID: 'impostor' }] }] }));
    expect(await roundTrip(upPort, 'secret')).toBe('');
    expect(await metric(web, 'weft_proxy_tls_handshake_errors_total', 'listener="upstream:db"')).toBe(1);

    await web.apply(webSnap({ upstreams: [{ name: 'db', port: 0, endpoints: [{ ...endpoint(apiPort, 'db'), ServiceID: 'impostor' }, endpoint(dbPort, 'db')] }] }));
    for (let i = 0; i < 4; i++) expect(await roundTrip(upPort, `try${i}`)).toBe(`try${i}bye`);
    expect(await metric(web, 'weft_proxy_tls_handshake_errors_total', 'listener="upstream:db"')).toBeGreaterThan(1);
  });

  it('retries another instance when one refuses the connection', async () => {
    const { web, dbPort, upPort, webSnap } = await pair();
    const dead = await freePort();
    await web.apply(webSnap({ upstreams: [{ name: 'db', port: 0, endpoints: [endpoint(dead, 'db', 'dead'), endpoint(dbPort, 'db')] }] }));
    for (let i = 0; i < 3; i++) expect(await roundTrip(upPort, 'x')).toBe('xbye');
    expect(await metric(web, 'weft_proxy_connect_failures_total', 'listener="upstream:db",stage="connect"')).toBeGreaterThan(0);
  });

  it('rotates to a cross-signed root without dropping the open connection', async () => {
    const { db, web, upPort, dbSnap, webSnap } = await pair();
    const open = await persistent(upPort);
    cleanups.push(() => open.socket.destroy());
    expect(await open.ask('before')).toBe('before');

    const next = await rotateRoot(root, { type: 'rsa', bits: 2048 });
    // db moves first: web still trusts only the old root and verifies db through the cross-signed certificate.
    await db.apply(dbSnap({ leaf: await makeLeaf(next, 'db'), roots: [root, next] }));
    expect(await roundTrip(upPort, 'mid')).toBe('midbye');
    await web.apply(webSnap({ leaf: await makeLeaf(next, 'web'), roots: [root, next] }));
    expect(await roundTrip(upPort, 'after')).toBe('afterbye');
    // Once the old root is pruned, leaves of the new one still verify.
    await db.apply(dbSnap({ leaf: await makeLeaf(next, 'db'), roots: [next] }));
    await web.apply(webSnap({ leaf: await makeLeaf(next, 'web'), roots: [next] }));
    expect(await roundTrip(upPort, 'pruned')).toBe('prunedbye');
    expect(await open.ask('still')).toBe('still');
  });
});
