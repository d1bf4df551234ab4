// The Weft side of the mesh data-plane benchmarks: `weft agent -dev` with the backend
// registered as "db" and a client "web", each with a sidecar declared in the agent's config
// file, and the two `weft connect proxy -sidecar-for` processes. web's sidecar listens for
// the load on `upstream`; db's takes mTLS on `pub`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok, request } from './http.js';
import { WEFT_BIN, freePort, sleep, startNode, waitPort, waitReady } from './processes.js';

function servicesHcl(backendPort, dbSidecar, webSidecar, upstream) {
  const check = (p) => `check {\n        tcp = "127.0.0.1:${p}"\n        interval = "1s"\n      }`;
  return (
    `service {\n  name = "db"\n  port = ${backendPort}\n  connect {\n    sidecar_service {\n      port = ${dbSidecar}\n      ${check(dbSidecar)}\n    }\n  }\n}\n` +
    `service {\n  name = "web"\n  port = 1\n  connect {\n    sidecar_service {\n      port = ${webSidecar}\n      ${check(webSidecar)}\n      proxy {\n        upstreams = [{ destination_name = "db", local_bind_port = ${upstream} }]\n      }\n    }\n  }\n}\n`
  );
}

/**
 * Starts the agent, PUTs `entries` to /v1/config, then the two sidecars, each as
 * `node [nodeFlags] ...command -sidecar-for <svc>`; resolves once db's sidecar is healthy.
 * `tag` names the config file, so several pairs can share `dir`.
 */
export async function startWeftPair(dir, backendPort, { tag = 'weft', command = [WEFT_BIN, 'connect', 'proxy'], nodeFlags = [], entries = [] } = {}) {
  const httpPort = await freePort();
  const [dbSidecar, webSidecar, upstream] = [await freePort(), await freePort(), await freePort()];
  const config = join(dir, `services-${tag}.hcl`);
  writeFileSync(config, servicesHcl(backendPort, dbSidecar, webSidecar, upstream));
  const agent = startNode([WEFT_BIN, 'agent', '-dev', '-http-port', String(httpPort), '-dns-port', '-1', '-log-level', 'warn', '-config-file', config]);
  await waitReady(agent, httpPort);
  for (const entry of entries) await ok({ port: httpPort, method: 'PUT', path: '/v1/config', body: JSON.stringify(entry) });
  const addr = `127.0.0.1:${httpPort}`;
  const sidecar = (svc) => startNode([...command, '-sidecar-for', svc, '-http-addr', addr, '-log-level', 'warn'], { nodeFlags });
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
