// The Weft side of bench/connect-l7.js: `weft agent -dev` with the backend registered as "db"
// and a client "web", both with sidecars (`weft connect proxy -sidecar-for`), "db" declared
// HTTP (service-defaults), a service-router that adds L7_HEADER to every response (applied by
// web's sidecar), and an L7 intention that denies DENIED_PATH (enforced by db's sidecar). The
// same two checks run against the NGINX pair, so both pairs do the same per-request work.
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ok, request } from './lib/http.js';
import { WEFT_BIN, freePort, sleep, startNode, waitReady } from './lib/processes.js';
import { DENIED_PATH, L7_HEADER } from './connect-l7-nginx.js';

export async function waitPort(port, what, child) {
  for (let i = 0; i < 400; i++) {
    if (child?.exitStatus) throw new Error(`${what} exited: ${child.tail}`);
    const up = await new Promise((resolve) => {
      const s = connect({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await sleep(50);
  }
  throw new Error(`${what} does not listen on ${port}`);
}

const ENTRIES = [
  { Kind: 'service-defaults', Name: 'db', Protocol: 'http' },
  { Kind: 'service-defaults', Name: 'web', Protocol: 'http' },
  {
    Kind: 'service-router',
    Name: 'db',
    Routes: [{ Match: { HTTP: { PathPrefix: '/' } }, Destination: { Service: 'db', ResponseHeaders: { Add: { [L7_HEADER]: 'weft' } } } }],
  },
  {
    Kind: 'service-intentions',
    Name: 'db',
    Sources: [
      {
        Name: 'web',
        Permissions: [
          { Action: 'deny', HTTP: { PathExact: DENIED_PATH } },
          { Action: 'allow', HTTP: { PathPrefix: '/' } },
        ],
      },
    ],
  },
];

function servicesHcl(backendPort, dbSidecar, webSidecar, upstream) {
  const check = (p) => `check {\n        tcp = "127.0.0.1:${p}"\n        interval = "1s"\n      }`;
  return (
    `service {\n  name = "db"\n  port = ${backendPort}\n  connect {\n    sidecar_service {\n      port = ${dbSidecar}\n      ${check(dbSidecar)}\n    }\n  }\n}\n` +
    `service {\n  name = "web"\n  port = 1\n  connect {\n    sidecar_service {\n      port = ${webSidecar}\n      ${check(webSidecar)}\n      proxy {\n        upstreams = [{ destination_name = "db", local_bind_port = ${upstream} }]\n      }\n    }\n  }\n}\n`
  );
}

/** Starts the agent, writes the L7 config entries, then the two sidecars; resolves once db's sidecar is healthy. */
export async function startWeftPair(dir, backendPort, { nodeFlags = [] } = {}) {
  const httpPort = await freePort();
  const [dbSidecar, webSidecar, upstream] = [await freePort(), await freePort(), await freePort()];
  const config = join(dir, 'services.hcl');
  writeFileSync(config, servicesHcl(backendPort, dbSidecar, webSidecar, upstream));
  const agent = startNode([WEFT_BIN, 'agent', '-dev', '-http-port', String(httpPort), '-dns-port', '-1', '-log-level', 'warn', '-config-file', config]);
  await waitReady(agent, httpPort);
  for (const entry of ENTRIES) await ok({ port: httpPort, method: 'PUT', path: '/v1/config', body: JSON.stringify(entry) });
  const addr = `127.0.0.1:${httpPort}`;
  const sidecar = (svc) => startNode([WEFT_BIN, 'connect', 'proxy', '-sidecar-for', svc, '-http-addr', addr, '-log-level', 'warn'], { nodeFlags });
  const db = sidecar('db');
  const web = sidecar('web');
  await waitPort(dbSidecar, 'db sidecar', db);
  await waitPort(upstream, 'web sidecar', web);
  for (let i = 0; i < 300; i++) {
    const res = await request({ port: httpPort, method: 'GET', path: '/v1/health/connect/db?passing' });
    if (JSON.parse(res.body.toString('utf8')).length === 1) break;
    await sleep(100);
  }
  return { agent, httpPort, db, web, upstream, pub: dbSidecar };
}

/**
 * Whether a pair handles HTTP at L7 on both sides: the client side's response header on `/`
 * and the server side's 403 on DENIED_PATH. An L4 splice passes neither. Retries for a few
 * seconds, as sidecars apply config entries when their snapshot catches up.
 */
export async function checkL7(port, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const root = await request({ port, method: 'GET', path: '/', timeoutMs: 2000 });
      const denied = await request({ port, method: 'GET', path: DENIED_PATH, timeoutMs: 2000 });
      const header = root.headers[L7_HEADER];
      if (root.status === 200 && header && denied.status === 403) return { ok: true, detail: `GET / 200 with ${L7_HEADER}: ${header}; GET ${DENIED_PATH} 403` };
      last = `GET / ${root.status} ${L7_HEADER}=${header ?? '(absent)'}; GET ${DENIED_PATH} ${denied.status}`;
    } catch (err) {
      last = String(err?.message ?? err);
    }
    await sleep(250);
  }
  return { ok: false, detail: last };
}
