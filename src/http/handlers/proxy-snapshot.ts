import { WeftError } from '../../lib/errors.js';
import {
  SNAPSHOT_PATH,
  adhocDefinition,
  buildSnapshot,
  definitionFromRegistration,
  proxyRegistration,
  snapshotHash,
  type ProxyDefinition,
  type SnapshotSources,
} from '../../proxycfg/index.js';
import type { WatchSet } from '../../state/index.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { serverConnect } from './connect-runtime.js';
import { AGENT_NODE_HEADER } from './event.js';

/**
 * GET /v1/agent/weft/proxy-snapshot/:proxyId — a registered proxy's snapshot;
 * GET /v1/agent/weft/proxy-snapshot?service=web&upstream=db:8181[&listen=..&service-addr=..] —
 * one for a proxy that acts as a service without being registered.
 *
 * A blocking query. `?index=` alone works as everywhere else; with `?hash=` (the
 * X-Consul-ContentHash of the previous answer) as well, the answer returns exactly when the
 * snapshot differs, and its index is then always above the one sent. `?node=` names the
 * proxy's node when the request was forwarded by a client agent (default: this agent's).
 */
async function snapshot(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const rt = serverConnect(ctx);
  const forwardedBy = req.raw.headers[AGENT_NODE_HEADER];
  const node = req.get('node') || (typeof forwardedBy === 'string' && forwardedBy) || ctx.agent.config.nodeName;
  const proxyId = req.params.proxyId;
  const define = proxyId ? (ws: WatchSet | null) => registered(ctx, ws, node, proxyId) : adhoc(req);
  const first = define(null);
  ctx.authz.check(req.token, { kind: 'service', name: first.service }, 'write');
  // Issued before blocking so the first answer carries it; later renewals wake the query.
  await rt.leaves.get(first.service, req.token);

  const sources: SnapshotSources = {
    store: ctx.store,
    datacenter: ctx.agent.config.datacenter,
    node,
    leaves: rt.leaves,
    defaultPolicy: rt.defaultPolicy,
    token: req.token,
  };
  const clientIndex = req.uint('index', 'index') ?? 0;
  const clientHash = req.get('hash');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const def = define(ws);
    const built = buildSnapshot(sources, ws, def);
    const hash = snapshotHash(built.snapshot);
    let index = built.index;
    if (clientHash) index = hash === clientHash ? clientIndex : Math.max(built.index, clientIndex + 1);
    return { index, reply: { body: built.snapshot, headers: { 'X-Consul-ContentHash': hash } } };
  });
}

function registered(ctx: ApiContext, ws: WatchSet | null, node: string, proxyId: string): ProxyDefinition {
  const row = proxyRegistration(ctx.store, ws, node, proxyId);
  if (!row) throw new WeftError('NOT_FOUND', `unknown proxy service ID: ${proxyId}`);
  return definitionFromRegistration(row);
}

function adhoc(req: ApiRequest): () => ProxyDefinition {
  const def = adhocDefinition({
    service: req.get('service') ?? '',
    upstreams: req.all('upstream'),
    listen: req.get('listen'),
    serviceAddr: req.get('service-addr'),
  });
  return () => def;
}

export const proxySnapshotRoutes: Route[] = [
  { method: 'GET', path: SNAPSHOT_PATH, name: 'agent.weft.proxy-snapshot.adhoc', handler: snapshot },
  { method: 'GET', path: `${SNAPSHOT_PATH}/:proxyId`, name: 'agent.weft.proxy-snapshot', handler: snapshot },
];
