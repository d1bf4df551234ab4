import type { ApiClient } from '../../src/api/index.js';

/**
 * The rows of the ACL permission matrix (acl-matrix.test.ts): one call per endpoint, and what
 * each of the four tokens — none, read-everything, write on the `app` prefix, management —
 * must get from it on an agent with default_policy = "deny".
 */

export type Cell = string;
export type Expect = [none: Cell, read: Cell, app: Cell, management: Cell];
export const NODE = 'node1';

/** IDs the seeding learns (session and intention IDs, the app token's accessor). */
export const ids: Record<string, string> = {};

export interface Answer {
  status: number;
  body: unknown;
  filtered: boolean;
}

const ANY_STATUS = [400, 401, 403, 404, 405, 409, 429, 500, 503];

export async function call(c: ApiClient, method: string, path: string, body?: unknown, raw?: string): Promise<Answer> {
  const [p, q] = path.split('?');
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(q ?? '')) query[k] = v;
  const r = await c.call<unknown>(method, p, { query: Object.keys(query).length ? query : undefined, body, rawBody: raw, accept: ANY_STATUS });
  return { status: r.status, body: r.body, filtered: r.headers['x-consul-results-filtered-by-acls'] === 'true' };
}

/** ok / denied / absent. */
const allowed = (method: string, path: string, body?: unknown) => async (c: ApiClient): Promise<Cell> => {
  const a = await call(c, method, path, body);
  if (a.status === 403) return 'denied';
  if (a.status === 404 || (a.status === 200 && a.body === null)) return 'absent';
  return 'ok';
};

/** The names a list answer shows (sorted, de-duplicated), † when it says it was filtered. */
const names = (path: string, pick: (body: unknown) => string[], method = 'GET', body?: unknown) => async (c: ApiClient): Promise<Cell> => {
  const a = await call(c, method, path, body);
  if (a.status === 403) return 'denied';
  if (a.status === 404) return `[]${a.filtered ? '†' : ''}`;
  const list = [...new Set(pick(a.body))].sort();
  return `[${list.join(',')}]${a.filtered ? '†' : ''}`;
};

const arr = (b: unknown) => (Array.isArray(b) ? b : []) as Record<string, unknown>[];
const field = (f: string) => (b: unknown) => arr(b).map((x) => String(x[f]));
const keysOf = (b: unknown) => Object.keys((b ?? {}) as object);

/** A txn: `denied` when its errors are ACL refusals, else the keys of its results. */
const txn = (ops: unknown[]) => async (c: ApiClient): Promise<Cell> => {
  const a = await call(c, 'PUT', '/v1/txn', ops);
  const body = a.body as { Results?: { KV?: { Key: string } }[] | null; Errors?: { What: string }[] | null };
  if (a.status === 403 || body.Errors?.some((e) => /Permission denied|ACL not found/.test(e.What))) return 'denied';
  return `[${(body.Results ?? []).map((r) => r.KV?.Key ?? '?').join(',')}]${a.filtered ? '†' : ''}`;
};

const ALL_NODES = '[app-node,node1,other-node]';
/** The catalog's services once the agent rows have registered other-new and app-x (a proxy for other-db). */
const ALL_SERVICES = '[app-api,app-web,app-x,consul,other-cache,other-db,other-new]';
const entryNodes = (b: unknown) => arr(b).map((e) => String((e.Node as { Node: string }).Node));
export const b64 = (s: string) => Buffer.from(s).toString('base64');

export interface Row {
  group: string;
  name: string;
  run: (c: ApiClient) => Promise<Cell>;
  expect: Expect;
}

const D = 'denied';
const OK = 'ok';

export function rows(): Row[] {
  const r = (group: string, name: string, run: Row['run'], expect: Expect): Row => ({ group, name, run, expect });
  return [
    r('agent', 'GET /v1/agent/self', allowed('GET', '/v1/agent/self'), [D, OK, D, OK]),
    r('agent', 'GET /v1/agent/members', names('/v1/agent/members', field('Name')), ['[]', '[node1]', '[]†', '[node1]']),
    r('agent', 'GET /v1/agent/metrics', allowed('GET', '/v1/agent/metrics'), [D, OK, D, OK]),
    r('agent', 'GET /v1/agent/host', allowed('GET', '/v1/agent/host'), [D, OK, D, OK]),
    r('agent', 'GET /v1/agent/version', allowed('GET', '/v1/agent/version'), [OK, OK, OK, OK]),
    r('agent', 'PUT /v1/agent/reload', allowed('PUT', '/v1/agent/reload'), [D, D, D, OK]),
    r('agent', 'PUT /v1/agent/maintenance?enable=false', allowed('PUT', '/v1/agent/maintenance?enable=false'), [D, D, D, OK]),
    r('agent', 'PUT /v1/agent/join/127.0.0.1:1', allowed('PUT', '/v1/agent/join/127.0.0.1:1'), [D, D, D, OK]),
    r('agent', 'PUT /v1/agent/force-leave/ghost', allowed('PUT', '/v1/agent/force-leave/ghost'), [D, D, D, 'absent']),
    r('agent', 'PUT /v1/agent/token/dns', allowed('PUT', '/v1/agent/token/dns', { Token: '' }), [D, D, D, OK]),
    r('agent', 'GET /v1/agent/services', names('/v1/agent/services', keysOf), ['[]', '[app-api,other-cache]', '[app-api]†', '[app-api,other-cache]']),
    r('agent', 'GET /v1/agent/service/app-api', allowed('GET', '/v1/agent/service/app-api'), [D, OK, OK, OK]),
    r('agent', 'GET /v1/agent/service/other-cache', allowed('GET', '/v1/agent/service/other-cache'), [D, OK, D, OK]),
    r('agent', 'PUT /v1/agent/service/register app-new', allowed('PUT', '/v1/agent/service/register', { Name: 'app-new', Port: 1 }), [D, D, OK, OK]),
    r('agent', 'PUT /v1/agent/service/register other-new', allowed('PUT', '/v1/agent/service/register', { Name: 'other-new', Port: 1 }), [D, D, D, OK]),
    r('agent', 'PUT /v1/agent/service/register app-x sidecar of other', allowed('PUT', '/v1/agent/service/register', { Name: 'app-x', Kind: 'connect-proxy', Port: 2, Proxy: { DestinationServiceName: 'other-db' } }), [D, D, D, OK]),
    r('agent', 'PUT /v1/agent/service/deregister/app-new', allowed('PUT', '/v1/agent/service/deregister/app-new'), [D, D, OK, 'absent']),
    r('agent', 'PUT /v1/agent/service/maintenance/other-cache', allowed('PUT', '/v1/agent/service/maintenance/other-cache?enable=false'), [D, D, D, OK]),
    r('agent', 'PUT /v1/agent/check/register on app-api', allowed('PUT', '/v1/agent/check/register', { Name: 'app-ttl', ServiceID: 'app-api', TTL: '10m' }), [D, D, OK, OK]),
    r('agent', 'PUT /v1/agent/check/pass/app-ttl', allowed('PUT', '/v1/agent/check/pass/app-ttl'), [D, D, OK, OK]),
    r('agent', 'PUT /v1/agent/check/register node check', allowed('PUT', '/v1/agent/check/register', { Name: 'node-ttl', TTL: '10m' }), [D, D, D, OK]),
    r('agent', 'GET /v1/agent/checks', names('/v1/agent/checks', keysOf), ['[]', '[app-ttl,node-ttl]', '[app-ttl]†', '[app-ttl,node-ttl]']),
    r('agent', 'GET /v1/agent/health/service/name/app-api', allowed('GET', '/v1/agent/health/service/name/app-api'), [D, OK, OK, OK]),
    r('agent', 'GET /v1/agent/connect/ca/roots', allowed('GET', '/v1/agent/connect/ca/roots'), [OK, OK, OK, OK]),
    r('agent', 'GET /v1/agent/connect/ca/leaf/app-web', allowed('GET', '/v1/agent/connect/ca/leaf/app-web'), [D, D, OK, OK]),
    r('agent', 'GET /v1/agent/connect/ca/leaf/other-db', allowed('GET', '/v1/agent/connect/ca/leaf/other-db'), [D, D, D, OK]),
    r(
      'agent',
      'POST /v1/agent/connect/authorize target app-web',
      allowed('POST', '/v1/agent/connect/authorize', { Target: 'app-web', ClientCertURI: 'spiffe://11111111-2222-3333-4444-555555555555.consul/ns/default/dc/dc1/svc/other-db' }),
      [D, D, OK, OK],
    ),

    r('catalog', 'GET /v1/catalog/datacenters', allowed('GET', '/v1/catalog/datacenters'), [OK, OK, OK, OK]),
    r('catalog', 'GET /v1/catalog/nodes', names('/v1/catalog/nodes', field('Node')), ['[]', ALL_NODES, '[app-node]†', ALL_NODES]),
    r('catalog', 'GET /v1/catalog/services', names('/v1/catalog/services', keysOf), ['[]', ALL_SERVICES, '[app-api,app-web,app-x]†', ALL_SERVICES]),
    r('catalog', 'GET /v1/catalog/service/app-web', names('/v1/catalog/service/app-web', field('Node')), ['[]', '[app-node]', '[app-node]', '[app-node]']),
    r('catalog', 'GET /v1/catalog/service/app-api (on node1)', names('/v1/catalog/service/app-api', field('Node')), ['[]', '[node1]', '[]†', '[node1]']),
    r('catalog', 'GET /v1/catalog/service/other-db', names('/v1/catalog/service/other-db', field('Node')), ['[]', '[other-node]', '[]†', '[other-node]']),
    r('catalog', 'GET /v1/catalog/connect/other-db', names('/v1/catalog/connect/other-db', field('Node')), ['[]', '[node1]', '[]', '[node1]']),
    r('catalog', 'GET /v1/catalog/node/app-node', allowed('GET', '/v1/catalog/node/app-node'), ['absent', OK, OK, OK]),
    r('catalog', 'GET /v1/catalog/node/other-node', allowed('GET', '/v1/catalog/node/other-node'), ['absent', OK, 'absent', OK]),
    r('catalog', 'PUT /v1/catalog/register app-web on app-node', allowed('PUT', '/v1/catalog/register', { Node: 'app-node', Address: '10.0.0.1', Service: { Service: 'app-web', Port: 80 } }), [D, D, OK, OK]),
    r('catalog', 'PUT /v1/catalog/register other-db on other-node', allowed('PUT', '/v1/catalog/register', { Node: 'other-node', Address: '10.0.0.2', Service: { Service: 'other-db', Port: 5432 } }), [D, D, D, OK]),
    r('catalog', 'PUT /v1/catalog/register app-web on other-node (node unchanged)', allowed('PUT', '/v1/catalog/register', { Node: 'other-node', Address: '10.0.0.2', Service: { ID: 'app-web-2', Service: 'app-web', Port: 81 } }), [D, D, OK, OK]),
    r('catalog', 'PUT /v1/catalog/register other-node with new address', allowed('PUT', '/v1/catalog/register', { Node: 'other-node', Address: '10.0.0.9', Service: { ID: 'app-web-2', Service: 'app-web', Port: 81 } }), [D, D, D, OK]),
    r('catalog', 'PUT /v1/catalog/register new node app-node2', allowed('PUT', '/v1/catalog/register', { Node: 'app-node2', Address: '10.0.0.3' }), [D, D, OK, OK]),
    r('catalog', 'PUT /v1/catalog/deregister app-node2', allowed('PUT', '/v1/catalog/deregister', { Node: 'app-node2' }), [D, D, OK, OK]),
    r('catalog', 'PUT /v1/catalog/deregister app-web-2 on other-node', allowed('PUT', '/v1/catalog/deregister', { Node: 'other-node', ServiceID: 'app-web-2' }), [D, D, OK, OK]),

    r('health', 'GET /v1/health/service/app-web', names('/v1/health/service/app-web', entryNodes), ['[]', '[app-node]', '[app-node]', '[app-node]']),
    r('health', 'GET /v1/health/service/other-db', names('/v1/health/service/other-db', entryNodes), ['[]', '[other-node]', '[]†', '[other-node]']),
    r('health', 'GET /v1/health/connect/other-db', names('/v1/health/connect/other-db', entryNodes), ['[]', '[node1]', '[]', '[node1]']),
    r('health', 'GET /v1/health/state/any', names('/v1/health/state/any', field('Node')), ['[]', ALL_NODES, '[app-node]†', ALL_NODES]),
    r('health', 'GET /v1/health/node/other-node', names('/v1/health/node/other-node', field('CheckID')), ['[]', '[other-check]', '[]†', '[other-check]']),
    r('health', 'GET /v1/health/checks/app-web', names('/v1/health/checks/app-web', field('CheckID')), ['[]', '[app-check]', '[app-check]', '[app-check]']),

    r('kv', 'GET /v1/kv/app/config', allowed('GET', '/v1/kv/app/config'), [D, OK, OK, OK]),
    r('kv', 'GET /v1/kv/other/secret', allowed('GET', '/v1/kv/other/secret'), [D, OK, D, OK]),
    r('kv', 'GET /v1/kv/?recurse', names('/v1/kv/?recurse', field('Key')), ['[]', '[app/config,app/tmp/x,other/secret,other/tmp/x]', '[app/config,app/tmp/x]†', '[app/config,app/tmp/x,other/secret,other/tmp/x]']),
    r('kv', 'GET /v1/kv/?keys&separator=/', names('/v1/kv/?keys&separator=/', (b) => arr(b).map(String)), ['[]', '[app/,other/]', '[app/]†', '[app/,other/]']),
    r('kv', 'PUT /v1/kv/app/new', allowed('PUT', '/v1/kv/app/new', 'v'), [D, D, OK, OK]),
    r('kv', 'PUT /v1/kv/other/new', allowed('PUT', '/v1/kv/other/new', 'v'), [D, D, D, OK]),
    r('kv', 'DELETE /v1/kv/app/new', allowed('DELETE', '/v1/kv/app/new'), [D, D, OK, OK]),
    r('kv', 'DELETE /v1/kv/app/tmp?recurse', allowed('DELETE', '/v1/kv/app/tmp?recurse'), [D, D, OK, OK]),
    r('kv', 'DELETE /v1/kv/other/tmp?recurse', allowed('DELETE', '/v1/kv/other/tmp?recurse'), [D, D, D, OK]),

    r('session', 'PUT /v1/session/create on app-node', allowed('PUT', '/v1/session/create', { Node: 'app-node', Checks: [] }), [D, D, OK, OK]),
    r('session', 'PUT /v1/session/create on other-node', allowed('PUT', '/v1/session/create', { Node: 'other-node', Checks: [] }), [D, D, D, OK]),
    r('session', 'GET /v1/session/list', names('/v1/session/list', field('Node')), ['[]', '[app-node,other-node]', '[app-node]†', '[app-node,other-node]']),
    r('session', 'GET /v1/session/node/other-node', names('/v1/session/node/other-node', field('Node')), ['[]', '[other-node]', '[]†', '[other-node]']),
    r('session', 'GET /v1/session/info/<other session>', (c) => names(`/v1/session/info/${ids.otherSession}`, field('Node'))(c), ['[]', '[other-node]', '[]†', '[other-node]']),
    r('session', 'PUT /v1/session/renew/<other session>', (c) => allowed('PUT', `/v1/session/renew/${ids.otherSession}`)(c), [D, D, D, OK]),
    r('session', 'PUT /v1/session/renew/<app session>', (c) => allowed('PUT', `/v1/session/renew/${ids.appSession}`)(c), [D, D, OK, OK]),

    r('txn', 'PUT /v1/txn get other/secret', txn([{ KV: { Verb: 'get', Key: 'other/secret' } }]), ['[]', '[other/secret]', '[]†', '[other/secret]']),
    r('txn', 'PUT /v1/txn get-tree o', txn([{ KV: { Verb: 'get-tree', Key: 'o' } }]), ['[]', '[other/new,other/secret]', '[]†', '[other/new,other/secret]']),
    r('txn', 'PUT /v1/txn set app/txn', txn([{ KV: { Verb: 'set', Key: 'app/txn', Value: b64('x') } }]), [D, D, '[app/txn]', '[app/txn]']),
    r('txn', 'PUT /v1/txn set app/txn + other/txn', txn([{ KV: { Verb: 'set', Key: 'app/txn', Value: b64('y') } }, { KV: { Verb: 'set', Key: 'other/txn', Value: b64('y') } }]), [D, D, D, '[app/txn,other/txn]']),
    r('txn', 'PUT /v1/txn check-index other/secret', txn([{ KV: { Verb: 'check-index', Key: 'other/secret', Index: 0 } }]), [D, '[]', D, '[]']),

    r('event', 'PUT /v1/event/fire/app-deploy', allowed('PUT', '/v1/event/fire/app-deploy'), [D, D, OK, OK]),
    r('event', 'PUT /v1/event/fire/other-alert', allowed('PUT', '/v1/event/fire/other-alert'), [D, D, D, OK]),
    r('event', 'GET /v1/event/list', names('/v1/event/list', field('Name')), ['[]', '[app-deploy,other-alert]', '[app-deploy]†', '[app-deploy,other-alert]']),

    r('coordinate', 'GET /v1/coordinate/datacenters', allowed('GET', '/v1/coordinate/datacenters'), [OK, OK, OK, OK]),
    r('coordinate', 'GET /v1/coordinate/nodes', names('/v1/coordinate/nodes', field('Node')), ['[]', ALL_NODES, '[app-node]†', ALL_NODES]),
    r('coordinate', 'GET /v1/coordinate/node/other-node', allowed('GET', '/v1/coordinate/node/other-node'), [D, OK, D, OK]),
    r('coordinate', 'PUT /v1/coordinate/update app-node', allowed('PUT', '/v1/coordinate/update', coordinate('app-node')), [D, D, OK, OK]),
    r('coordinate', 'PUT /v1/coordinate/update other-node', allowed('PUT', '/v1/coordinate/update', coordinate('other-node')), [D, D, D, OK]),

    r('status', 'GET /v1/status/leader', allowed('GET', '/v1/status/leader'), [OK, OK, OK, OK]),
    r('status', 'GET /v1/status/peers', allowed('GET', '/v1/status/peers'), [OK, OK, OK, OK]),

    r('connect-ca', 'GET /v1/connect/ca/roots', allowed('GET', '/v1/connect/ca/roots'), [OK, OK, OK, OK]),
    r('connect-ca', 'GET /v1/connect/ca/configuration', allowed('GET', '/v1/connect/ca/configuration'), [D, OK, D, OK]),
    r('connect-ca', 'PUT /v1/connect/ca/configuration', allowed('PUT', '/v1/connect/ca/configuration', { Provider: 'consul', State: { x: '1' } }), [D, D, D, OK]),

    r('intentions', 'GET /v1/connect/intentions', names('/v1/connect/intentions', (b) => arr(b).map((i) => `${i.SourceName}>${i.DestinationName}`)), ['[]', '[app-web>other-db,other-db>app-web,other-x>other-db]', '[app-web>other-db,other-db>app-web]†', '[app-web>other-db,other-db>app-web,other-x>other-db]']),
    r('intentions', 'GET exact other-x>other-db', allowed('GET', '/v1/connect/intentions/exact?source=other-x&destination=other-db'), [D, OK, D, OK]),
    r('intentions', 'GET exact app-web>other-db (source side)', allowed('GET', '/v1/connect/intentions/exact?source=app-web&destination=other-db'), [D, OK, OK, OK]),
    r('intentions', 'GET /v1/connect/intentions/<id of other-x>other-db>', (c) => allowed('GET', `/v1/connect/intentions/${ids.otherIntention}`)(c), [D, OK, D, OK]),
    r('intentions', 'PUT exact other-x>app-web', allowed('PUT', '/v1/connect/intentions/exact?source=other-x&destination=app-web', { Action: 'allow' }), [D, D, OK, OK]),
    r('intentions', 'PUT exact app-web>other-db', allowed('PUT', '/v1/connect/intentions/exact?source=app-web&destination=other-db', { Action: 'allow' }), [D, D, D, OK]),
    r('intentions', 'GET match by destination app-web', allowed('GET', '/v1/connect/intentions/match?by=destination&name=app-web'), [D, OK, OK, OK]),
    r('intentions', 'GET check other-x>other-db', allowed('GET', '/v1/connect/intentions/check?source=other-x&destination=other-db'), [D, OK, D, OK]),

    r('config', 'GET /v1/config/service-defaults', names('/v1/config/service-defaults', field('Name')), ['[]', '[app-web,other-db]', '[app-web]†', '[app-web,other-db]']),
    r('config', 'GET /v1/config/service-defaults/other-db', allowed('GET', '/v1/config/service-defaults/other-db'), [D, OK, D, OK]),
    r('config', 'GET /v1/config/proxy-defaults/global', allowed('GET', '/v1/config/proxy-defaults/global'), [OK, OK, OK, OK]),
    r('config', 'PUT /v1/config service-defaults app-web', allowed('PUT', '/v1/config', { Kind: 'service-defaults', Name: 'app-web', Protocol: 'http' }), [D, D, OK, OK]),
    r('config', 'PUT /v1/config service-defaults other-db', allowed('PUT', '/v1/config', { Kind: 'service-defaults', Name: 'other-db', Protocol: 'tcp' }), [D, D, D, OK]),
    r('config', 'PUT /v1/config proxy-defaults global (mesh:write)', allowed('PUT', '/v1/config', { Kind: 'proxy-defaults', Name: 'global' }), [D, D, D, OK]),
    r('config', 'DELETE /v1/config/service-defaults/app-gone', allowed('DELETE', '/v1/config/service-defaults/app-gone'), [D, D, OK, OK]),
    r('config', 'PUT /v1/config service-router app-web → app-api', allowed('PUT', '/v1/config', router('app-api')), [D, D, OK, OK]),
    r('config', 'PUT /v1/config service-router app-web → other-db (needs read on it)', allowed('PUT', '/v1/config', router('other-db')), [D, D, D, OK]),
    r('discovery-chain', 'GET /v1/discovery-chain/app-web', allowed('GET', '/v1/discovery-chain/app-web'), [D, OK, OK, OK]),
    r('discovery-chain', 'GET /v1/discovery-chain/other-db', allowed('GET', '/v1/discovery-chain/other-db'), [D, OK, D, OK]),

    r('internal/ui', 'GET /v1/internal/ui/services', names('/v1/internal/ui/services', field('Name')), ['[]', ALL_SERVICES, '[app-web]†', ALL_SERVICES]),
    r('internal/ui', 'GET /v1/internal/ui/nodes', names('/v1/internal/ui/nodes', field('Node')), ['[]', ALL_NODES, '[app-node]†', ALL_NODES]),
    r('internal/ui', 'GET /v1/internal/ui/node/other-node', allowed('GET', '/v1/internal/ui/node/other-node'), ['absent', OK, 'absent', OK]),
    r('internal/ui', 'GET /v1/internal/ui/service-topology/other-db', allowed('GET', '/v1/internal/ui/service-topology/other-db?kind='), [D, OK, D, OK]),
    r('internal/ui', 'POST /v1/internal/acl/authorize', allowed('POST', '/v1/internal/acl/authorize', [{ Resource: 'key', Segment: 'app/x', Access: 'write' }]), [OK, OK, OK, OK]),

    r('acl', 'GET /v1/acl/policies', allowed('GET', '/v1/acl/policies'), [D, OK, D, OK]),
    r('acl', 'GET /v1/acl/tokens', allowed('GET', '/v1/acl/tokens'), [D, OK, D, OK]),
    r('acl', 'PUT /v1/acl/policy', allowed('PUT', '/v1/acl/policy', { Name: 'made-in-matrix', Rules: '' }), [D, D, D, OK]),
    r('acl', 'GET /v1/acl/token/<app-write> SecretID', (c) => secretShown(c), [D, 'hidden', D, 'shown']),
    r('acl', 'GET /v1/acl/token/self', allowed('GET', '/v1/acl/token/self'), ['absent', OK, OK, OK]),

    r('operator', 'GET /v1/operator/raft/configuration', allowed('GET', '/v1/operator/raft/configuration'), [D, OK, D, OK]),
    r('snapshot', 'GET /v1/snapshot', allowed('GET', '/v1/snapshot'), [D, D, D, OK]),
  ];
}

function router(target: string) {
  return { Kind: 'service-router', Name: 'app-web', Routes: [{ Match: { HTTP: { PathPrefix: '/x' } }, Destination: { Service: target } }] };
}

export function coordinate(node: string) {
  return { Node: node, Coord: { Vec: [0.1, 0, 0, 0, 0, 0, 0, 0], Error: 1.5, Adjustment: 0, Height: 0.0001 } };
}

async function secretShown(c: ApiClient): Promise<Cell> {
  const a = await call(c, 'GET', `/v1/acl/token/${ids.appAccessor}`);
  if (a.status === 403) return 'denied';
  return (a.body as { SecretID: string }).SecretID === '<hidden>' ? 'hidden' : 'shown';
}

