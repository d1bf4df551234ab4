// The Weft side of bench/connect-l7.js: the sidecar pair of bench/lib/weft-sidecar-pair.js
// (backend "db", client "web") with both services declared HTTP (service-defaults), a
// service-router that adds L7_HEADER to every response (applied by web's sidecar), and an L7
// intention that denies DENIED_PATH (enforced by db's sidecar). The same two checks run
// against the NGINX pair, so both pairs do the same per-request work.
import { request } from './lib/http.js';
import { sleep } from './lib/processes.js';
import { startWeftPair } from './lib/weft-sidecar-pair.js';
import { DENIED_PATH, L7_HEADER } from './connect-l7-nginx.js';

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

/** The Weft pair of bench/lib/weft-sidecar-pair.js with ENTRIES written before its sidecars start. */
export function startWeftL7Pair(dir, backendPort, { nodeFlags = [] } = {}) {
  return startWeftPair(dir, backendPort, { tag: 'l7', nodeFlags, entries: ENTRIES });
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
