// The NGINX side of bench/connect-l7.js: the backend every path reaches (nginx answering
// `return 200` itself) and the NGINX sidecar pair (client-side nginx -> mutual TLS ->
// server-side nginx -> backend), with leaf certificates and roots issued by Weft's CA.
//
// Each nginx runs `daemon off; master_process off;`: one process that is its own single worker,
// as a Weft sidecar is one Node.js process. That also keeps every nginx a direct child of the
// benchmark, so its CPU and memory are read from one pid and a crash of the benchmark cannot
// leave an orphaned worker holding a port.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok } from './lib/http.js';
import { freePort, track } from './lib/processes.js';

/** The same response body on every path: `--body-bytes` of text ending in a newline. */
export const responseBody = (bytes) => `${'weft-l7-bench '.repeat(Math.ceil(bytes / 14)).slice(0, Math.max(0, bytes - 1))}\n`;

/** The response header that proves the client side of a pair routed the request at L7. */
export const L7_HEADER = 'x-bench-l7';
/** The path the server side of a pair refuses at L7 (403): proves it looks at each request. */
export const DENIED_PATH = '/l7-denied';

// Everything an nginx writes goes to its own directory; the rest of the http block is shared.
function base(dir, name) {
  const p = (f) => join(dir, `${name}-${f}`);
  return [
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${p('nginx.pid')};`,
    `error_log ${p('error.log')} warn;`,
    'events { worker_connections 8192; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${p('body')};`,
    `  proxy_temp_path ${p('proxy')};`,
    `  fastcgi_temp_path ${p('fastcgi')};`,
    `  uwsgi_temp_path ${p('uwsgi')};`,
    `  scgi_temp_path ${p('scgi')};`,
    // Keep-alive for the whole run on every hop: no connection is closed after N requests.
    '  keepalive_requests 10000000;',
    '  keepalive_timeout 300s;',
  ];
}

const proxied = (target) => [
  `      proxy_pass ${target};`,
  '      proxy_http_version 1.1;',
  '      proxy_set_header Connection "";',
  '      proxy_buffering on;',
];

const upstream = (name, port) => [`  upstream ${name} {`, `    server 127.0.0.1:${port};`, '    keepalive 64;', '    keepalive_requests 10000000;', '    keepalive_timeout 300s;', '  }'];

function startNginx(dir, name, lines) {
  const conf = join(dir, `${name}.conf`);
  writeFileSync(conf, `${lines.join('\n')}\n`);
  const child = spawn('nginx', ['-p', dir, '-e', join(dir, `${name}-error.log`), '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  return track(child);
}

/** nginx answering every request itself with a fixed body: the app behind all three paths. */
export async function startBackend(dir, bodyBytes) {
  const port = await freePort();
  const body = responseBody(bodyBytes).replace(/\n$/, '');
  const proc = startNginx(dir, 'backend', [
    ...base(dir, 'backend'),
    '  server {',
    `    listen 127.0.0.1:${port} backlog=4096;`,
    '    default_type text/plain;',
    `    location / { return 200 "${body}\\n"; }`,
    '  }',
    '}',
  ]);
  return { proc, port };
}

/**
 * The NGINX pair. The client side adds the L7 header to every response and proxies over TLS
 * with its leaf certificate, checking the server's chain against Weft's roots and its name
 * against the SNI it sends; the server side requires a client certificate from the same roots,
 * refuses DENIED_PATH and proxies the rest to the backend. Upstream connections are kept alive.
 */
export async function startNginxPair(dir, agentPort, backendPort) {
  const get = async (path) => JSON.parse((await ok({ port: agentPort, method: 'GET', path })).body.toString('utf8'));
  const roots = await get('/v1/agent/connect/ca/roots');
  const roles = {};
  for (const svc of ['web', 'db']) {
    const leaf = await get(`/v1/agent/connect/ca/leaf/${svc}`);
    writeFileSync(join(dir, `${svc}.crt`), leaf.CertPEM);
    writeFileSync(join(dir, `${svc}.key`), leaf.PrivateKeyPEM, { mode: 0o600 });
    roles[svc] = { crt: join(dir, `${svc}.crt`), key: join(dir, `${svc}.key`) };
  }
  const rootsFile = join(dir, 'roots.pem');
  writeFileSync(rootsFile, roots.Roots.map((r) => r.RootCert).join('\n'));
  // The leaf's DNS name, as HAProxy checks it in connect-l4.js (Weft checks the SPIFFE URI instead).
  const serverName = `db.svc.default.${roots.TrustDomain.slice(0, 8)}.consul`;
  const [pub, bind] = [await freePort(), await freePort()];

  const db = startNginx(dir, 'nginx-db', [
    ...base(dir, 'nginx-db'),
    ...upstream('app', backendPort),
    '  server {',
    `    listen 127.0.0.1:${pub} ssl backlog=4096;`,
    `    ssl_certificate ${roles.db.crt};`,
    `    ssl_certificate_key ${roles.db.key};`,
    `    ssl_client_certificate ${rootsFile};`,
    '    ssl_verify_client on;',
    '    ssl_verify_depth 3;',
    '    ssl_protocols TLSv1.2 TLSv1.3;',
    '    ssl_session_cache shared:db:1m;',
    `    location = ${DENIED_PATH} { return 403; }`,
    '    location / {',
    ...proxied('http://app'),
    '    }',
    '  }',
    '}',
  ]);
  const web = startNginx(dir, 'nginx-web', [
    ...base(dir, 'nginx-web'),
    ...upstream('db', pub),
    '  server {',
    `    listen 127.0.0.1:${bind} backlog=4096;`,
    '    location / {',
    ...proxied('https://db'),
    `      proxy_ssl_certificate ${roles.web.crt};`,
    `      proxy_ssl_certificate_key ${roles.web.key};`,
    `      proxy_ssl_trusted_certificate ${rootsFile};`,
    '      proxy_ssl_verify on;',
    '      proxy_ssl_verify_depth 3;',
    `      proxy_ssl_name ${serverName};`,
    '      proxy_ssl_server_name on;',
    '      proxy_ssl_protocols TLSv1.2 TLSv1.3;',
    '      proxy_ssl_session_reuse on;',
    `      add_header ${L7_HEADER} nginx always;`,
    '    }',
    '  }',
    '}',
  ]);
  return { db, web, upstream: bind, pub };
}
