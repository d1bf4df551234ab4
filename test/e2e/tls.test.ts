import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/index.js';
import { startClient, startServer, stopCluster } from './cluster-harness.js';
import { freePort, removeDir, runWeft, tempDir, TestAgent, waitFor, WEFT_BIN } from './harness.js';

/**
 * TLS: certificates made with `weft tls`, the HTTPS API with verify_incoming (and the HTTP
 * port off), the CLI's TLS flags and environment, and client agents reaching their server
 * over TLS with the server's name verified.
 */

let dir: string;
let httpsAgent: TestAgent;
let httpsPort: number;
const clients: ApiClient[] = [];
const file = (name: string) => join(dir, name);

async function weftIn(args: string[]): Promise<string> {
  const r = await runWeft(args, { cwd: dir });
  if (r.code !== 0) throw new Error(`weft ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function https(opts: { cert?: boolean; ca?: boolean } = {}): ApiClient {
  const c = new ApiClient({
    address: `https://127.0.0.1:${httpsPort}`,
    tls: {
      caFile: opts.ca === false ? undefined : file('consul-agent-ca.pem'),
      ...(opts.cert === false ? {} : { certFile: file('dc1-cli-consul-0.pem'), keyFile: file('dc1-cli-consul-0-key.pem') }),
    },
  });
  clients.push(c);
  return c;
}

/** Why a call failed, or 'ok'. */
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (err: Error) => err.message);

beforeAll(async () => {
  dir = tempDir();
  expect(await weftIn(['tls', 'ca', 'create'])).toBe('==> Saved consul-agent-ca.pem\n==> Saved consul-agent-ca-key.pem\n');
  expect(await weftIn(['tls', 'cert', 'create', '-server'])).toContain('==> Saved dc1-server-consul-0.pem\n==> Saved dc1-server-consul-0-key.pem\n');
  await weftIn(['tls', 'cert', 'create', '-client']);
  await weftIn(['tls', 'cert', 'create', '-cli']);

  httpsPort = await freePort();
  writeFileSync(
    file('tls.hcl'),
    `tls {\n  defaults {\n    ca_file = "${file('consul-agent-ca.pem')}"\n    cert_file = "${file('dc1-server-consul-0.pem')}"\n    key_file = "${file('dc1-server-consul-0-key.pem')}"\n    verify_incoming = true\n  }\n}\n`,
  );
  const proc = spawn(process.execPath, [WEFT_BIN, 'agent', '-dev', '-http-port', '-1', '-https-port', String(httpsPort), '-dns-port', '-1', '-config-file', file('tls.hcl')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  httpsAgent = new TestAgent(proc, httpsPort);
  const probe = https();
  await waitFor(
    async () => {
      if (!httpsAgent.running) throw new Error(`agent exited early:\n${httpsAgent.stderr}`);
      return (await probe.get('/v1/status/leader')).status === 200;
    },
    { timeoutMs: 20_000, what: 'the HTTPS API to answer' },
  );
}, 60_000);

afterAll(async () => {
  clients.forEach((c) => c.close());
  await httpsAgent?.kill9();
  await stopCluster();
  removeDir(dir);
});

describe('weft tls', () => {
  it("numbers certificates as Consul does, and refuses to overwrite the CA", async () => {
    expect(await weftIn(['tls', 'cert', 'create', '-server', '-node', 'srv1', '-additional-ipaddress', '10.1.2.3'])).toContain('==> Saved dc1-server-consul-1.pem\n');
    const again = await runWeft(['tls', 'ca', 'create'], { cwd: dir });
    expect(again).toMatchObject({ code: 1 });
    expect(again.stderr).toContain('consul-agent-ca.pem already exists.');
    const none = await runWeft(['tls', 'cert', 'create'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Please provide either -server, -client, or -cli');
  });
});

describe('the HTTPS API with verify_incoming', () => {
  it('serves a client that presents a certificate of the CA', async () => {
    const self = (await https().get<{ DebugConfig: { HTTPPort: number } }>('/v1/agent/self')).body;
    expect(self.DebugConfig.HTTPPort).toBe(-1);
  });

  it('refuses a client without a certificate in the handshake, before any request is read', async () => {
    expect(await outcome(https({ cert: false }).get('/v1/status/leader'))).toMatch(/^Error connecting to Weft agent at 127\.0\.0\.1:\d+: /);
  });

  it('is refused by a client that does not trust its CA', async () => {
    expect(await outcome(https({ ca: false }).get('/v1/status/leader'))).toMatch(/UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED|UNABLE_TO_VERIFY/);
  });

  it('lets the CLI in with -ca-file, -client-cert and -client-key, or CONSUL_CACERT, CONSUL_CLIENT_CERT and CONSUL_CLIENT_KEY', async () => {
    const addr = `https://127.0.0.1:${httpsPort}`;
    const flags = await runWeft(['kv', 'put', `-http-addr=${addr}`, `-ca-file=${file('consul-agent-ca.pem')}`, `-client-cert=${file('dc1-cli-consul-0.pem')}`, `-client-key=${file('dc1-cli-consul-0-key.pem')}`, 'tls/flag', 'yes']);
    expect(flags).toMatchObject({ code: 0, stdout: 'Success! Data written to: tls/flag\n' });
    const env = { CONSUL_HTTP_ADDR: `127.0.0.1:${httpsPort}`, CONSUL_HTTP_SSL: 'true', CONSUL_CACERT: file('consul-agent-ca.pem'), CONSUL_CLIENT_CERT: file('dc1-cli-consul-0.pem'), CONSUL_CLIENT_KEY: file('dc1-cli-consul-0-key.pem') };
    expect(await runWeft(['kv', 'get', 'tls/flag'], { env })).toMatchObject({ code: 0, stdout: 'yes\n' });
    const noCert = await runWeft(['kv', 'get', 'tls/flag'], { env: { ...env, CONSUL_CLIENT_CERT: '', CONSUL_CLIENT_KEY: '' } });
    expect(noCert.code).toBe(1);
    expect(noCert.stderr).toContain('Error connecting to Weft agent');
  });
});

describe('agents reaching their server over TLS', () => {
  const rpcTls = (opts: { cert: string; incoming: boolean; outgoing: boolean; hostname: boolean }) => {
    const name = `rpc-${opts.cert}-${opts.incoming}-${opts.outgoing}-${opts.hostname}.hcl`;
    writeFileSync(
      file(name),
      `tls {\n  internal_rpc {\n    ca_file = "${file('consul-agent-ca.pem')}"\n    cert_file = "${file(`dc1-${opts.cert}-consul-0.pem`)}"\n    key_file = "${file(`dc1-${opts.cert}-consul-0-key.pem`)}"\n    verify_incoming = ${opts.incoming}\n    verify_outgoing = ${opts.outgoing}\n    verify_server_hostname = ${opts.hostname}\n  }\n}\n`,
    );
    return file(name);
  };
  const nodes = async (c: ApiClient) => (await c.get<{ Node: string }[]>('/v1/catalog/nodes')).body.map((n) => n.Node).sort();

  it('joins a server that requires client certificates, verifying the name server.dc1.consul', async () => {
    const server = await startServer({ node: 'tls-srv', args: ['-config-file', rpcTls({ cert: 'server', incoming: true, outgoing: true, hostname: true })] });
    const client = await startClient(server, { node: 'tls-client', args: ['-config-file', rpcTls({ cert: 'client', incoming: false, outgoing: true, hostname: true })] });
    await waitFor(async () => (await nodes(server.client)).includes('tls-client'), { what: 'the TLS client to join' });
    // Requests the client forwards travel the same TLS connection pool.
    expect(await nodes(client.client)).toEqual(['tls-client', 'tls-srv']);
    // A client that speaks plain HTTP to the cluster ports is not let in.
    const plain = await startClient(server, { node: 'plain-client' });
    await waitFor(() => /join failed; retrying/.test(plain.stdout + plain.stderr), { what: 'the plain client to be refused' });
    expect(await nodes(server.client)).not.toContain('plain-client');
  });

  it('does not join a server whose certificate does not name server.dc1.consul', async () => {
    // The server presents a client certificate: valid for the CA, but not a server's.
    const impostor = await startServer({ node: 'impostor', args: ['-config-file', rpcTls({ cert: 'client', incoming: false, outgoing: false, hostname: false })] });
    const careful = await startClient(impostor, { node: 'careful', args: ['-config-file', rpcTls({ cert: 'client', incoming: false, outgoing: true, hostname: true })] });
    await waitFor(() => /ERR_TLS_CERT_ALTNAME_INVALID/.test(careful.stdout + careful.stderr), { what: 'the hostname check to refuse the server' });
    expect(await nodes(impostor.client)).not.toContain('careful');
    // Without verify_server_hostname the CA alone is checked, and the same server is accepted.
    await startClient(impostor, { node: 'trusting', args: ['-config-file', rpcTls({ cert: 'client', incoming: false, outgoing: true, hostname: false })] });
    await waitFor(async () => (await nodes(impostor.client)).includes('trusting'), { what: 'the client without hostname checks to join' });
  });
});
